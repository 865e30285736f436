package org.entente.bench;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;

/**
 * An endless stream of STIX indicators whose patterns hold the real values of the shared feeds
 * ({@link IndicatorFeeds}): IPv4 addresses, domains and URLs, interleaved 2:1:1 as a blocklist feed
 * mixes them. Once a kind's values are used up, or when the feeds are absent, values are generated
 * (distinct, in documentation-like namespaces), so a run never stops for lack of data; {@link
 * #fromFeeds()} and {@link #generated()} say how much of a run was real.
 */
final class FeedIndicators implements Iterator<ObjectNode> {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})(\\.\\d{1,3}){3}");

  private enum Kind {
    IPV4,
    DOMAIN,
    URL
  }

  private static final Kind[] ORDER = {Kind.IPV4, Kind.DOMAIN, Kind.IPV4, Kind.URL};

  private final List<String> ips;
  private final List<String> domains;
  private final List<String> urls;
  private final Random random = new Random();
  // A month back: the timestamps of a few million objects, a millisecond apart, stay in the past.
  private final Instant epoch =
      Instant.now().minus(30, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
  private int nextIp;
  private int nextDomain;
  private int nextUrl;
  private long serial;
  private long fromFeeds;
  private long generated;

  /** Over these values (IPv4 addresses already checked), then generated ones. */
  FeedIndicators(List<String> ips, List<String> domains, List<String> urls) {
    this.ips = ips;
    this.domains = domains;
    this.urls = urls;
  }

  /** The feeds under the shared data; generated values only (said on stderr) when absent. */
  static FeedIndicators load() throws IOException {
    IndicatorFeeds feeds = IndicatorFeeds.load();
    if (feeds.ips().isEmpty() && feeds.domains().isEmpty() && feeds.urls().isEmpty()) {
      System.err.printf(
          "[bench] indicator feeds not found under %s (set -D%s=DIR): generated indicator values"
              + " only%n",
          SharedData.dir().resolve("indicator-feeds"), SharedData.PROPERTY);
    }
    return new FeedIndicators(
        feeds.ips().stream().filter(ip -> IPV4.matcher(ip).matches()).toList(),
        feeds.domains(),
        feeds.urls());
  }

  /** A stream over the same values from their start, with fresh ids: the same data for each run. */
  FeedIndicators again() {
    return new FeedIndicators(ips, domains, urls);
  }

  String describe() {
    if (ips.isEmpty() && domains.isEmpty() && urls.isEmpty()) {
      return "indicators of generated IPv4 addresses, domains and URLs (no feeds found)";
    }
    return String.format(
        "indicators of real feed values (%,d IPv4 addresses, %,d domains, %,d URLs available),"
            + " generated values beyond those",
        ips.size(), domains.size(), urls.size());
  }

  long fromFeeds() {
    return fromFeeds;
  }

  long generated() {
    return generated;
  }

  @Override
  public boolean hasNext() {
    return true;
  }

  @Override
  public ObjectNode next() {
    long n = serial++;
    Kind kind = ORDER[(int) (n % ORDER.length)];
    String value =
        switch (kind) {
          case IPV4 -> nextIp < ips.size() ? ips.get(nextIp++) : null;
          case DOMAIN -> nextDomain < domains.size() ? domains.get(nextDomain++) : null;
          case URL -> nextUrl < urls.size() ? urls.get(nextUrl++) : null;
        };
    if (value == null) {
      generated++;
      value = generatedValue(kind, n);
    } else {
      fromFeeds++;
    }
    String pattern =
        switch (kind) {
          case IPV4 -> "[ipv4-addr:value = '" + value + "']";
          case DOMAIN -> "[domain-name:value = '" + quote(value) + "']";
          case URL -> "[url:value = '" + quote(value) + "']";
        };
    String created = Corpus.timestamp(epoch.plusMillis(n));
    ObjectNode o = NODES.objectNode();
    o.put("type", "indicator");
    o.put("spec_version", "2.1");
    o.put("id", "indicator--" + Corpus.uuid4(random));
    o.put("created", created);
    o.put("modified", created);
    o.put("name", value);
    o.set("indicator_types", NODES.arrayNode().add("malicious-activity"));
    o.put("pattern", pattern);
    o.put("pattern_type", "stix");
    o.put("valid_from", created);
    return o;
  }

  private String generatedValue(Kind kind, long n) {
    return switch (kind) {
      case IPV4 ->
          (1 + random.nextInt(223))
              + "."
              + random.nextInt(256)
              + "."
              + random.nextInt(256)
              + "."
              + random.nextInt(256);
      case DOMAIN -> "host" + n + ".bench-" + (n % 997) + ".example.net";
      case URL -> "http://files" + n + ".example.org/payload/" + (n % 9_973) + ".bin";
    };
  }

  /** A STIX pattern string literal: backslash and quote escaped. */
  private static String quote(String s) {
    return s.replace("\\", "\\\\").replace("'", "\\'");
  }
}
