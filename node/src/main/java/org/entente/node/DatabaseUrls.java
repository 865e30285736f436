package org.entente.node;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.entente.store.postgres.PostgresUrl;

/**
 * The node's database URL in messages: a PostgreSQL URL may hold a password (in the user info of
 * {@code postgresql://USER:PASSWORD@HOST/DB}, or as a {@code password=} parameter of either form),
 * which must never reach a terminal, a log or an error line.
 */
public final class DatabaseUrls {
  /** The environment variable that names the database when no {@code --db} flag does. */
  public static final String ENV = "ENTENTE_DB";

  private static final String MASK = "***";
  private static final Pattern PASSWORD_PARAMETER =
      Pattern.compile("(?i)([?&;]password=)([^&;#\\s]*)");

  private DatabaseUrls() {}

  /**
   * Rejects what {@link org.entente.store.Stores#open} would not take, with a message that does not
   * repeat the URL.
   *
   * @throws IllegalArgumentException if {@code url} is not a PostgreSQL URL
   */
  public static void check(String url) {
    if (!PostgresUrl.isPostgres(url)) {
      throw new IllegalArgumentException(
          "the database URL must be postgresql://USER:PASSWORD@HOST:PORT/DB or"
              + " jdbc:postgresql://HOST:PORT/DB?user=USER&password=PASSWORD");
    }
    PostgresUrl.parse(url); // bad percent-encoding; its message does not quote the URL
  }

  /** {@code url} as typed, with its password replaced by {@code ***}. */
  public static String redacted(String url) {
    if (url == null) {
      return null;
    }
    String out = url;
    int[] password = userInfoPassword(url);
    if (password != null) {
      out = url.substring(0, password[0]) + MASK + url.substring(password[1]);
    }
    return PASSWORD_PARAMETER.matcher(out).replaceAll("$1" + Matcher.quoteReplacement(MASK));
  }

  /**
   * {@code text} (an error message, say) with every password {@code url} holds replaced by {@code
   * ***}: as written in the URL and decoded.
   */
  public static String scrub(String text, String url) {
    if (text == null || url == null) {
      return text;
    }
    String out = text.replace(url, redacted(url));
    for (String secret : passwords(url)) {
      out = out.replace(secret, MASK);
    }
    return out;
  }

  /** Where the password of the user info ({@code scheme://USER:PASSWORD@HOST}) is, or null. */
  private static int[] userInfoPassword(String url) {
    int scheme = url.indexOf("://");
    if (scheme < 0) {
      return null;
    }
    int start = scheme + 3;
    int end = start;
    while (end < url.length() && url.charAt(end) != '/' && url.charAt(end) != '?') {
      end++;
    }
    int at = url.lastIndexOf('@', end - 1);
    if (at < start) {
      return null;
    }
    int colon = url.indexOf(':', start);
    return colon >= 0 && colon < at ? new int[] {colon + 1, at} : null;
  }

  /** The passwords of {@code url} in every spelling a message might quote, longest first. */
  private static List<String> passwords(String url) {
    Set<String> raw = new LinkedHashSet<>();
    int[] p = userInfoPassword(url);
    if (p != null) {
      raw.add(url.substring(p[0], p[1]));
    }
    Matcher m = PASSWORD_PARAMETER.matcher(url);
    while (m.find()) {
      raw.add(m.group(2));
    }
    Set<String> all = new LinkedHashSet<>(raw);
    for (String r : raw) {
      try {
        all.add(URLDecoder.decode(r, StandardCharsets.UTF_8)); // form-decoded: '+' is a space
        all.add(URLDecoder.decode(r.replace("+", "%2B"), StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        // not percent-encoded after all: the raw spelling is there already
      }
    }
    all.removeIf(String::isEmpty);
    List<String> sorted = new ArrayList<>(all);
    sorted.sort(Comparator.comparingInt(String::length).reversed());
    return sorted;
  }
}
