package org.entente.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;

/**
 * The real indicator values of the shared feeds ({@code indicator-feeds/} under the shared data):
 * IPv4 addresses, CIDR blocks, domains, URLs and file hashes, each deduplicated in file order.
 * Every list is empty when the data is absent; the benchmarks then generate values.
 *
 * @param hashes "ALGORITHM:hex" pairs, the algorithm as STIX names it (MD5, SHA-1, SHA-256)
 */
record IndicatorFeeds(
    List<String> ips,
    List<String> cidrs,
    List<String> domains,
    List<String> urls,
    List<String> hashes) {

  static IndicatorFeeds load() throws IOException {
    Path dir = SharedData.dir().resolve("indicator-feeds");
    Set<String> ips = new LinkedHashSet<>();
    Set<String> cidrs = new LinkedHashSet<>();
    Set<String> domains = new LinkedHashSet<>();
    Set<String> urls = new LinkedHashSet<>();
    Set<String> hashes = new LinkedHashSet<>();
    Consumer<String> ipOrCidr = s -> (s.indexOf('/') >= 0 ? cidrs : ips).add(s);
    lines(dir, "ipsum/ipsum.txt.gz", s -> ips.add(s.split("\\s+")[0]));
    lines(dir, "threatfox-ips/ips.txt", ips::add);
    lines(dir, "blocklistproject/abuse.ip", ipOrCidr);
    lines(dir, "blocklistproject/malware.ip", ipOrCidr);
    for (String f :
        new String[] {
          "urlhaus-filter-2025-07/urlhaus-filter-domains.txt",
          "urlhaus-filter-2022-03/urlhaus-filter-domains.txt.gz"
        }) {
      lines(dir, f, s -> (s.matches("[0-9.]+") ? ips : domains).add(s));
    }
    for (String f :
        new String[] {
          "blocklistproject/phishing-nl.txt.gz",
          "blocklistproject/scam-nl.txt",
          "blocklistproject/ransomware-nl.txt",
          "spam404/main-blacklist.txt"
        }) {
      lines(dir, f, s -> domains.add(s.toLowerCase(Locale.ROOT)));
    }
    // AdGuard rules "||host/path^$all" or "||host/path$all": a URL path rule names a whole URL.
    for (String f :
        new String[] {
          "urlhaus-filter-2025-07/urlhaus-filter-ag.txt",
          "urlhaus-filter-2022-03/urlhaus-filter-ag.txt.gz"
        }) {
      lines(
          dir,
          f,
          s -> {
            if (s.startsWith("||") && s.indexOf('/') > 0) {
              String rule = s.substring(2).replaceFirst("\\^?\\$all$", "");
              urls.add("http://" + rule);
            }
          });
    }
    lines(
        dir,
        "eset-hashes/eset-malware-ioc-hashes.csv",
        s -> {
          String[] cols = s.split(",");
          if (cols.length == 4 && !cols[2].equals("hash_type")) {
            hashes.add(cols[2] + ":" + cols[3].toLowerCase(Locale.ROOT));
          }
        });
    return new IndicatorFeeds(
        List.copyOf(ips),
        List.copyOf(cidrs),
        List.copyOf(domains),
        List.copyOf(urls),
        List.copyOf(hashes));
  }

  int total() {
    return ips.size() + cidrs.size() + domains.size() + urls.size() + hashes.size();
  }

  /** Non-blank, non-comment lines of one feed file (gzip by name), if it exists. */
  private static void lines(Path dir, String name, Consumer<String> sink) throws IOException {
    Path p = dir.resolve(name);
    if (!Files.isRegularFile(p)) {
      return;
    }
    try (InputStream raw = Files.newInputStream(p);
        InputStream in = name.endsWith(".gz") ? new GZIPInputStream(raw) : raw;
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      List<String> batch = new ArrayList<>();
      for (String line; (line = r.readLine()) != null; ) {
        String s = line.strip();
        if (!s.isEmpty() && !s.startsWith("#") && !s.startsWith("!")) {
          batch.add(s);
        }
      }
      batch.forEach(sink);
    }
  }
}
