package org.entente.taxii.server;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The opaque {@code next} values this server issues: the sequence number to resume after, bound by
 * a MAC to the query it belongs to (endpoint, API root, collection, object, requester and filters).
 * Nothing is kept on the server, so cursors cost no memory and survive as long as the key; a cursor
 * that was altered, or is replayed with other filters, by another user or against another
 * collection, fails the MAC and is refused with 400 (§3.4: servers MUST NOT trust it).
 */
final class PageCursors {
  private static final byte FORMAT = 1;
  private static final int MAC_BYTES = 16;
  private static final int TOKEN_BYTES = 1 + Long.BYTES + MAC_BYTES;

  private final SecretKeySpec key;

  PageCursors(String secret) {
    byte[] k;
    if (secret == null) {
      k = new byte[32];
      new SecureRandom().nextBytes(k);
    } else {
      k = sha256(secret.getBytes(StandardCharsets.UTF_8));
    }
    this.key = new SecretKeySpec(k, "HmacSHA256");
  }

  /** A cursor resuming after {@code afterSeq} for the query described by {@code scope}. */
  String issue(String scope, long afterSeq) {
    ByteBuffer b = ByteBuffer.allocate(TOKEN_BYTES);
    b.put(FORMAT).putLong(afterSeq).put(mac(scope, afterSeq));
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
  }

  /** The sequence number a cursor resumes after; 400 when it was not issued for this scope. */
  long resume(String scope, String token) {
    byte[] raw;
    try {
      raw = Base64.getUrlDecoder().decode(token);
    } catch (IllegalArgumentException e) {
      throw invalid();
    }
    if (raw.length != TOKEN_BYTES || raw[0] != FORMAT) {
      throw invalid();
    }
    ByteBuffer b = ByteBuffer.wrap(raw);
    b.get();
    long seq = b.getLong();
    byte[] given = Arrays.copyOfRange(raw, 1 + Long.BYTES, TOKEN_BYTES);
    if (seq < 0 || !MessageDigest.isEqual(given, mac(scope, seq))) {
      throw invalid();
    }
    return seq;
  }

  private static TaxiiError invalid() {
    return TaxiiError.badFilter(
        "next",
        "not a cursor this server issued for this query; repeat the request with the same"
            + " filters as the one that returned it, or start again");
  }

  private byte[] mac(String scope, long seq) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      mac.update(FORMAT);
      mac.update(ByteBuffer.allocate(Long.BYTES).putLong(seq).array());
      mac.update(scope.getBytes(StandardCharsets.UTF_8));
      return Arrays.copyOf(mac.doFinal(), MAC_BYTES);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
    }
  }

  private static byte[] sha256(byte[] in) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(in);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }
}
