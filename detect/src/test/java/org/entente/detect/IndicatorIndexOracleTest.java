package org.entente.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.entente.detect.Fixtures.T0;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.entente.stix.pattern.IpBlock;
import org.junit.jupiter.api.Test;

/**
 * Random indicators against random observations: the index's candidates must include every
 * indicator that a brute-force check says matches. The oracle is written independently of the
 * index, over a small model of the generated observations (the full evaluator lives in stix).
 */
class IndicatorIndexOracleTest {
  private static final int INDICATORS = 3_000;
  private static final int OBSERVATIONS = 400;

  /** What one generated observation holds: addresses, domains, files and flows to addresses. */
  record Model(List<String> ips, List<String> domains, List<String[]> files, List<String> flows) {}

  record Generated(String pattern, Predicate<Model> matches, boolean anchored) {}

  @Test
  void candidatesAreASupersetOfMatchesAndFewForAnchoredPatterns() {
    long seed = new SplittableRandom().nextLong();
    try {
      run(seed);
    } catch (AssertionError e) {
      throw new AssertionError("seed " + seed + ": " + e.getMessage(), e);
    }
  }

  private void run(long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    IndicatorIndex index = new IndicatorIndex();
    List<Generated> gen = new ArrayList<>();
    for (int i = 0; i < INDICATORS; i++) {
      Generated g = indicator(rnd);
      gen.add(g);
      index.add(Fixtures.indicator("indicator--" + i, g.pattern()));
    }
    long anchoredCandidates = 0;
    long matches = 0;
    for (int o = 0; o < OBSERVATIONS; o++) {
      Model m = model(rnd);
      Set<String> candidates = new HashSet<>();
      for (Candidate c : index.candidates(observation("obs--" + o, m))) {
        candidates.add(c.indicator().id());
      }
      for (int i = 0; i < INDICATORS; i++) {
        String id = "indicator--" + i;
        if (gen.get(i).matches().test(m)) {
          matches++;
          assertThat(candidates).as("%s %s on %s", id, gen.get(i).pattern(), m).contains(id);
        }
        if (gen.get(i).anchored() && candidates.contains(id)) {
          anchoredCandidates++;
        }
      }
    }
    assertThat(matches).as("the generator must produce some matches").isPositive();
    // Anchored patterns: a handful of candidates per observation, not a scan of thousands.
    assertThat(anchoredCandidates / (double) OBSERVATIONS).isLessThan(INDICATORS / 50.0);
  }

  private static String ip(SplittableRandom r) {
    return "10.0." + r.nextInt(16) + "." + r.nextInt(16);
  }

  private static String domain(SplittableRandom r) {
    return "d" + r.nextInt(200) + ".example";
  }

  private static String hash(SplittableRandom r) {
    return String.format("%064x", r.nextInt(200));
  }

  private static String name(SplittableRandom r) {
    return "n" + r.nextInt(100) + ".exe";
  }

  private static Model model(SplittableRandom r) {
    List<String> ips = new ArrayList<>();
    List<String> domains = new ArrayList<>();
    List<String[]> files = new ArrayList<>();
    List<String> flows = new ArrayList<>();
    for (int i = r.nextInt(3); i > 0; i--) {
      ips.add(ip(r));
    }
    for (int i = r.nextInt(3); i > 0; i--) {
      domains.add(domain(r));
    }
    for (int i = r.nextInt(2); i > 0; i--) {
      files.add(new String[] {name(r), hash(r)});
    }
    for (int i = r.nextInt(2); i > 0; i--) {
      flows.add(ip(r));
    }
    return new Model(ips, domains, files, flows);
  }

  private static Observation observation(String id, Model m) {
    List<String> scos = new ArrayList<>();
    int n = 0;
    for (String ip : m.ips()) {
      scos.add(
          String.format(
              "{\"type\":\"ipv4-addr\",\"id\":\"ipv4-addr--%d\",\"value\":\"%s\"}", n++, ip));
    }
    for (String d : m.domains()) {
      scos.add(
          String.format(
              "{\"type\":\"domain-name\",\"id\":\"domain-name--%d\",\"value\":\"%s\"}", n++, d));
    }
    for (String[] f : m.files()) {
      scos.add(
          String.format(
              "{\"type\":\"file\",\"id\":\"file--%d\",\"name\":\"%s\",\"hashes\":{\"SHA-256\":\"%s\"}}",
              n++, f[0], f[1]));
    }
    for (String dst : m.flows()) {
      int target = n++;
      scos.add(
          String.format(
              "{\"type\":\"ipv4-addr\",\"id\":\"ipv4-addr--%d\",\"value\":\"%s\"}", target, dst));
      scos.add(
          String.format(
              "{\"type\":\"network-traffic\",\"id\":\"network-traffic--%d\",\"dst_ref\":\"ipv4-addr--%d\"}",
              n++, target));
    }
    return Fixtures.observation(
        id, T0.plusSeconds(Integer.parseInt(id.substring(5))), scos.toArray(String[]::new));
  }

  /** All addresses of a model, standalone or as flow destinations (both are ipv4-addr SCOs). */
  private static List<String> allIps(Model m) {
    List<String> all = new ArrayList<>(m.ips());
    all.addAll(m.flows());
    return all;
  }

  private static boolean inBlock(String ip, String cidr) {
    return IpBlock.parse(cidr).contains(IpBlock.parse(ip));
  }

  private static Generated indicator(SplittableRandom r) {
    switch (r.nextInt(11)) {
      case 0:
        {
          String ip = ip(r);
          return new Generated(
              "[ipv4-addr:value = '" + ip + "']", m -> allIps(m).contains(ip), true);
        }
      case 1:
        {
          String d = domain(r);
          return new Generated(
              "[domain-name:value = '" + d + "']", m -> m.domains().contains(d), true);
        }
      case 2:
        {
          String a = domain(r);
          String b = domain(r);
          return new Generated(
              "[domain-name:value IN ('" + a + "', '" + b + "')]",
              m -> m.domains().contains(a) || m.domains().contains(b),
              true);
        }
      case 3:
        {
          String h = hash(r);
          return new Generated(
              "[file:hashes.'SHA-256' = '" + h + "']",
              m -> m.files().stream().anyMatch(f -> f[1].equals(h)),
              true);
        }
      case 4:
        {
          String cidr = ip(r) + "/" + (24 + r.nextInt(9));
          return new Generated(
              "[ipv4-addr:value ISSUBSET '" + cidr + "']",
              m -> allIps(m).stream().anyMatch(ip -> inBlock(ip, cidr)),
              true);
        }
      case 5:
        {
          String cidr = ip(r) + "/" + (26 + r.nextInt(7));
          return new Generated(
              "[network-traffic:dst_ref.value ISSUBSET '" + cidr + "']",
              m -> m.flows().stream().anyMatch(ip -> inBlock(ip, cidr)),
              true);
        }
      case 6:
        {
          String n = name(r);
          String h = hash(r);
          return new Generated(
              "[file:name = '" + n + "' AND file:hashes.'SHA-256' = '" + h + "']",
              m -> m.files().stream().anyMatch(f -> f[0].equals(n) && f[1].equals(h)),
              true);
        }
      case 7:
        {
          String a = ip(r);
          String d = domain(r);
          return new Generated(
              "[ipv4-addr:value = '"
                  + a
                  + "' OR ipv4-addr:value ISSUBSET '"
                  + d.length() % 4
                  + ".0.0.0/8']",
              m ->
                  allIps(m).stream()
                      .anyMatch(ip -> ip.equals(a) || inBlock(ip, d.length() % 4 + ".0.0.0/8")),
              true);
        }
      case 8:
        {
          String prefix = "n" + r.nextInt(10);
          Pattern like = Pattern.compile(Pattern.quote(prefix) + ".*", Pattern.DOTALL);
          return new Generated(
              "[file:name LIKE '" + prefix + "%']",
              m -> m.files().stream().anyMatch(f -> like.matcher(f[0]).matches()),
              false);
        }
      case 9:
        {
          String digit = Integer.toString(r.nextInt(10));
          return new Generated(
              "[domain-name:value MATCHES '^d" + digit + "']",
              m -> m.domains().stream().anyMatch(d -> d.startsWith("d" + digit)),
              false);
        }
      default:
        {
          // Two-observation patterns: an observation matching either side is relevant to them.
          String a = ip(r);
          String d = domain(r);
          String op = r.nextBoolean() ? " AND " : " FOLLOWEDBY ";
          return new Generated(
              "([ipv4-addr:value = '"
                  + a
                  + "']"
                  + op
                  + "[domain-name:value = '"
                  + d
                  + "'])"
                  + " WITHIN 300 SECONDS",
              m -> allIps(m).contains(a) || m.domains().contains(d),
              true);
        }
    }
  }
}
