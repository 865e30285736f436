package org.entente.node.federation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals the secrets a node keeps for others (peer passwords and tokens) with AES-256-GCM under a
 * key file of its own ({@code node.key} in the data directory, readable by its owner only), so that
 * a copy of the database alone does not give away the credentials of allied servers.
 */
public final class SecretSeal {
  static final String KEY_FILE = "node.key";
  private static final String PREFIX = "v1:";
  private static final int NONCE_BYTES = 12;

  private final SecretKeySpec key;
  private final SecureRandom random = new SecureRandom();

  private SecretSeal(byte[] key) {
    this.key = new SecretKeySpec(key, "AES");
  }

  /** The seal of the node whose data directory is {@code dataDir}; creates its key if needed. */
  public static SecretSeal of(Path dataDir) {
    Path file = dataDir.resolve(KEY_FILE);
    try {
      if (!Files.exists(file)) {
        byte[] fresh = new byte[32];
        new SecureRandom().nextBytes(fresh);
        try {
          Files.createDirectories(dataDir);
          Files.write(
              file,
              Base64.getEncoder().encode(fresh),
              StandardOpenOption.CREATE_NEW,
              StandardOpenOption.WRITE);
          try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
          } catch (UnsupportedOperationException notPosix) {
            // Not a POSIX file system: the directory's own protection applies.
          }
        } catch (FileAlreadyExistsException raced) {
          // Another process created it first: use theirs.
        }
      }
      byte[] k = Base64.getDecoder().decode(Files.readString(file).strip());
      if (k.length != 32) {
        throw new IllegalStateException(file + " does not hold a 256-bit key");
      }
      return new SecretSeal(k);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create the node key " + file, e);
    }
  }

  /**
   * A digest that tells keys apart without revealing them: the processes of one node must all hold
   * the key its peers' credentials were sealed with.
   */
  public String fingerprint() {
    try {
      java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
      sha.update("entente-node-key-fingerprint\n".getBytes(StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(sha.digest(key.getEncoded()));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The sealed form of {@code secret}; null stays null. */
  public String seal(String secret) {
    if (secret == null) {
      return null;
    }
    try {
      byte[] nonce = new byte[NONCE_BYTES];
      random.nextBytes(nonce);
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
      byte[] sealed = c.doFinal(secret.getBytes(StandardCharsets.UTF_8));
      ByteBuffer out = ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed);
      return PREFIX + Base64.getEncoder().encodeToString(out.array());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is part of every JDK", e);
    }
  }

  /**
   * The secret {@code sealed} holds; null stays null.
   *
   * @throws IllegalStateException when it was sealed under another key or altered
   */
  public String open(String sealed) {
    if (sealed == null) {
      return null;
    }
    if (!sealed.startsWith(PREFIX)) {
      throw new IllegalStateException("not a sealed secret");
    }
    try {
      byte[] all = Base64.getDecoder().decode(sealed.substring(PREFIX.length()));
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, all, 0, NONCE_BYTES));
      byte[] plain = c.doFinal(all, NONCE_BYTES, all.length - NONCE_BYTES);
      return new String(plain, StandardCharsets.UTF_8);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalStateException(
          "a stored peer secret cannot be opened: was node.key replaced?", e);
    }
  }
}
