package org.entente.taxii.server;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The opaque {@code next} values this server issues: the sequence number to resume after, encrypted
 * and authenticated (AES-GCM) with the query it belongs to (endpoint, API root, collection, object,
 * requester and filters) as associated data. Nothing is kept on the server, so cursors cost no
 * memory and survive as long as the key. A cursor that was altered, or is replayed with other
 * filters, by another user or against another collection, fails authentication and is refused with
 * 400 (§3.4: servers MUST NOT trust it). Encrypted, not only signed: the sequence number is
 * store-wide, and the gap between two cursors would count entries the reader may not see.
 */
final class PageCursors {
  private static final byte FORMAT = 2;
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final int TOKEN_BYTES = 1 + NONCE_BYTES + Long.BYTES + TAG_BITS / 8;

  private final SecretKeySpec key;
  private final SecureRandom random = new SecureRandom();

  PageCursors(String secret) {
    byte[] k;
    if (secret == null) {
      k = new byte[32];
      random.nextBytes(k);
    } else {
      // A key of its own, not the configured secret itself.
      k = sha256(("entente-page-cursor-v2\n" + secret).getBytes(StandardCharsets.UTF_8));
    }
    this.key = new SecretKeySpec(k, "AES");
  }

  /** A cursor resuming after {@code afterSeq} for the query described by {@code scope}. */
  String issue(String scope, long afterSeq) {
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    try {
      Cipher c = cipher(Cipher.ENCRYPT_MODE, nonce, scope);
      byte[] sealed = c.doFinal(ByteBuffer.allocate(Long.BYTES).putLong(afterSeq).array());
      ByteBuffer b = ByteBuffer.allocate(TOKEN_BYTES);
      b.put(FORMAT).put(nonce).put(sealed);
      return Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is part of every Java runtime", e);
    }
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
    long seq;
    try {
      byte[] nonce = new byte[NONCE_BYTES];
      System.arraycopy(raw, 1, nonce, 0, NONCE_BYTES);
      Cipher c = cipher(Cipher.DECRYPT_MODE, nonce, scope);
      byte[] plain = c.doFinal(raw, 1 + NONCE_BYTES, raw.length - 1 - NONCE_BYTES);
      seq = ByteBuffer.wrap(plain).getLong();
    } catch (AEADBadTagException e) {
      throw invalid();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is part of every Java runtime", e);
    }
    if (seq < 0) {
      throw invalid();
    }
    return seq;
  }

  private Cipher cipher(int mode, byte[] nonce, String scope) throws GeneralSecurityException {
    Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
    c.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
    c.updateAAD(new byte[] {FORMAT});
    c.updateAAD(scope.getBytes(StandardCharsets.UTF_8));
    return c;
  }

  private static TaxiiError invalid() {
    return TaxiiError.badFilter(
        "next",
        "not a cursor this server issued for this query; repeat the request with the same"
            + " filters as the one that returned it, or start again");
  }

  private static byte[] sha256(byte[] in) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(in);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }
}
