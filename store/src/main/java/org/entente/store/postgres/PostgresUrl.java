package org.entente.store.postgres;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Where a PostgreSQL database is: a libpq connection URI ({@code
 * postgresql://USER:PASSWORD@HOST:PORT/DB?PARAMS}, also {@code postgres://}) or a JDBC URL ({@code
 * jdbc:postgresql://HOST:PORT/DB?PARAMS}), as the driver wants it: a JDBC URL, and the user and
 * password apart (percent-decoded), so that the password never appears in a URL that could be
 * logged.
 *
 * <p>Host lists ({@code h1:5432,h2:5433}) and bracketed IPv6 addresses pass through as they are; so
 * do the query parameters that the driver shares with libpq ({@code sslmode}, {@code
 * application_name}, {@code user}, {@code password}, ...). An empty host means localhost.
 *
 * @param jdbcUrl the driver's URL, without the user and password of a libpq URI
 * @param user null when the URL does not name one
 * @param password null when the URL does not give one
 */
public record PostgresUrl(String jdbcUrl, String user, String password) {
  private static final String JDBC = "jdbc:postgresql:";

  public PostgresUrl {
    Objects.requireNonNull(jdbcUrl, "jdbcUrl");
  }

  /** Whether {@code url} names a PostgreSQL database (either form). */
  public static boolean isPostgres(String url) {
    return url != null
        && (url.startsWith(JDBC)
            || url.startsWith("postgresql://")
            || url.startsWith("postgres://"));
  }

  /**
   * @throws IllegalArgumentException if {@code url} is neither form
   */
  public static PostgresUrl parse(String url) {
    Objects.requireNonNull(url, "url");
    if (url.startsWith(JDBC)) {
      return new PostgresUrl(url, null, null);
    }
    String rest;
    if (url.startsWith("postgresql://")) {
      rest = url.substring("postgresql://".length());
    } else if (url.startsWith("postgres://")) {
      rest = url.substring("postgres://".length());
    } else {
      throw new IllegalArgumentException(
          "not a PostgreSQL URL (postgresql://USER:PASSWORD@HOST:PORT/DB or jdbc:postgresql:...)");
    }
    int end = indexOfAny(rest, '/', '?');
    String authority = end < 0 ? rest : rest.substring(0, end);
    String tail = end < 0 ? "" : rest.substring(end);
    String user = null;
    String password = null;
    int at = authority.lastIndexOf('@');
    if (at >= 0) {
      String userInfo = authority.substring(0, at);
      authority = authority.substring(at + 1);
      int colon = userInfo.indexOf(':');
      if (colon >= 0) {
        user = decode(userInfo.substring(0, colon));
        password = decode(userInfo.substring(colon + 1));
      } else {
        user = decode(userInfo);
      }
      if (user.isEmpty()) {
        user = null;
      }
    }
    if (authority.isEmpty()) {
      authority = "localhost";
    }
    if (!tail.startsWith("/")) {
      tail = "/" + tail;
    }
    return new PostgresUrl("jdbc:postgresql://" + authority + tail, user, password);
  }

  /** The URL for messages and logs: never the password. */
  public String redacted() {
    String u = jdbcUrl.replaceAll("(?i)([?&]password=)[^&]*", "$1***");
    return user == null ? u : u + " (user " + user + ")";
  }

  @Override
  public String toString() {
    return "PostgresUrl[" + redacted() + "]";
  }

  private static int indexOfAny(String s, char a, char b) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) == a || s.charAt(i) == b) {
        return i;
      }
    }
    return -1;
  }

  /** RFC 3986 percent-decoding ('+' stays '+', unlike form decoding). */
  private static String decode(String s) {
    if (s.indexOf('%') < 0) {
      return s;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%') {
        int hi = i + 2 < s.length() ? Character.digit(s.charAt(i + 1), 16) : -1;
        int lo = i + 2 < s.length() ? Character.digit(s.charAt(i + 2), 16) : -1;
        if (hi < 0 || lo < 0) {
          throw new IllegalArgumentException("bad percent-encoding in the PostgreSQL URL");
        }
        out.write(hi * 16 + lo);
        i += 2;
      } else {
        byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        out.write(b, 0, b.length);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
