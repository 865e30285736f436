package org.entente.node.auth;

import com.password4j.Argon2Function;
import com.password4j.Password;
import com.password4j.types.Argon2;

/** Argon2id password hashing (OWASP baseline: 19 MiB, 2 passes, 1 lane); only hashes are stored. */
public final class PasswordHasher {
  private final Argon2Function argon2;

  public PasswordHasher() {
    this(19_456, 2);
  }

  /** Cheaper parameters are for tests only; production uses the no-argument constructor. */
  public PasswordHasher(int memoryKib, int iterations) {
    this.argon2 = Argon2Function.getInstance(memoryKib, iterations, 1, 32, Argon2.ID);
  }

  public String hash(String password) {
    return Password.hash(password).addRandomSalt(16).with(argon2).getResult();
  }

  /** Checks a password against a stored hash; the parameters are read from the hash itself. */
  public boolean matches(String password, String storedHash) {
    if (storedHash == null || password == null) {
      return false;
    }
    try {
      return Argon2Function.getInstanceFromHash(storedHash).check(password, storedHash);
    } catch (RuntimeException e) {
      return false; // not an Argon2 hash: never matches
    }
  }
}
