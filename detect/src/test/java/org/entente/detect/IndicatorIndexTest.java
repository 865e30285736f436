package org.entente.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.entente.detect.Fixtures.T0;
import static org.entente.detect.Fixtures.indicator;
import static org.entente.detect.Fixtures.observation;

import java.time.Duration;
import java.util.List;
import org.entente.stix.pattern.StixPattern;
import org.junit.jupiter.api.Test;

class IndicatorIndexTest {

  private static List<String> ids(IndicatorIndex index, Observation obs) {
    return index.candidates(obs).stream().map(c -> c.indicator().id()).toList();
  }

  private static final String IP =
      "{\"type\":\"ipv4-addr\",\"id\":\"ipv4-addr--1\",\"value\":\"198.51.100.7\"}";

  @Test
  void equalityInAndCidrAnchors() {
    IndicatorIndex index = new IndicatorIndex();
    index.add(indicator("eq", "[ipv4-addr:value = '198.51.100.7']"));
    index.add(indicator("other", "[ipv4-addr:value = '198.51.100.8']"));
    index.add(indicator("in", "[domain-name:value IN ('a.example', 'b.example')]"));
    index.add(indicator("cidr", "[ipv4-addr:value ISSUBSET '198.51.100.0/24']"));
    index.add(indicator("wide", "[ipv4-addr:value ISSUBSET '0.0.0.0/0']"));

    assertThat(ids(index, observation("o1", T0, IP)))
        .containsExactlyInAnyOrder("eq", "cidr", "wide");
    assertThat(
            ids(
                index,
                observation(
                    "o2",
                    T0,
                    "{\"type\":\"domain-name\",\"id\":\"d--1\",\"value\":\"b.example\"}")))
        .containsExactly("in");
    assertThat(index.scanned()).isZero();
  }

  @Test
  void followsReferencesAndListElements() {
    IndicatorIndex index = new IndicatorIndex();
    index.add(indicator("dst", "[network-traffic:dst_ref.value ISSUBSET '198.51.100.0/28']"));
    index.add(indicator("res", "[domain-name:resolves_to_refs[1].value = '198.51.100.7']"));
    Observation flow =
        observation(
            "o",
            T0,
            IP,
            "{\"type\":\"network-traffic\",\"id\":\"nt--1\",\"dst_ref\":\"ipv4-addr--1\"}",
            "{\"type\":\"domain-name\",\"id\":\"d--1\",\"value\":\"x.example\","
                + "\"resolves_to_refs\":[\"ipv4-addr--9\",\"ipv4-addr--1\"]}");
    assertThat(ids(index, flow)).containsExactlyInAnyOrder("dst", "res");
    // A reference to an object outside the observation counts as missing.
    Observation dangling =
        observation(
            "o",
            T0,
            "{\"type\":\"network-traffic\",\"id\":\"nt--1\",\"dst_ref\":\"ipv4-addr--1\"}");
    assertThat(ids(index, dangling)).isEmpty();
  }

  @Test
  void coercesNumbersHashesAndOctets() {
    IndicatorIndex index = new IndicatorIndex();
    index.add(indicator("port", "[network-traffic:dst_port = 443.0]"));
    index.add(indicator("sha", "[file:hashes.'SHA-256' = 'AB12']"));
    index.add(indicator("bin", "[artifact:payload_bin = 'this is a test']"));
    index.add(indicator("str5", "[x-thing:size = '5']"));
    Observation obs =
        observation(
            "o",
            T0,
            "{\"type\":\"network-traffic\",\"id\":\"nt--1\",\"dst_port\":443}",
            "{\"type\":\"file\",\"id\":\"f--1\",\"hashes\":{\"SHA256\":\"ab12\"}}",
            "{\"type\":\"artifact\",\"id\":\"a--1\",\"payload_bin\":\"dGhpcyBpcyBhIHRlc3Q=\"}",
            "{\"type\":\"x-thing\",\"id\":\"x--1\",\"size\":5}");
    // The number 5 never equals the string '5'.
    assertThat(ids(index, obs)).containsExactlyInAnyOrder("port", "sha", "bin");
  }

  @Test
  void andPicksOneSideOrUnionsAndScansTheRest() {
    IndicatorIndex index = new IndicatorIndex();
    index.add(indicator("and", "[file:name LIKE '%.exe' AND file:hashes.MD5 = 'cead']"));
    index.add(indicator("or", "[file:name = 'a.exe' OR file:size = 10]"));
    index.add(indicator("orscan", "[file:name = 'a.exe' OR file:name MATCHES 'b']"));
    index.add(indicator("like", "[file:name LIKE '%.exe']"));
    index.add(indicator("neg", "[file:name NOT = 'a.exe']"));
    assertThat(index.scanned()).isEqualTo(3);
    Observation obs =
        observation("o", T0, "{\"type\":\"file\",\"id\":\"f--1\",\"name\":\"x\",\"size\":10}");
    assertThat(ids(index, obs)).containsExactlyInAnyOrder("or", "orscan", "like", "neg");
  }

  @Test
  void validityRevocationRemovalAndExpiry() {
    IndicatorIndex index = new IndicatorIndex();
    StixPattern p = StixPattern.parse("[ipv4-addr:value = '198.51.100.7']");
    index.add(new IndexedIndicator("later", p, T0.plusSeconds(100), null, false));
    index.add(new IndexedIndicator("until", p, T0, T0.plusSeconds(50), false));
    index.add(new IndexedIndicator("revoked", p, T0, null, true));
    index.add(new IndexedIndicator("plain", p, T0, null, false));
    assertThat(index.size()).isEqualTo(3);

    assertThat(ids(index, observation("o", T0.plusSeconds(10), IP)))
        .containsExactlyInAnyOrder("until", "plain");
    assertThat(ids(index, observation("o", T0.plusSeconds(50), IP))).containsExactly("plain");
    assertThat(ids(index, observation("o", T0.plusSeconds(200), IP)))
        .containsExactlyInAnyOrder("later", "plain");

    assertThat(index.expire(T0.plusSeconds(50))).isEqualTo(1);
    assertThat(index.revoke("plain")).isTrue();
    assertThat(index.remove("plain")).isFalse();
    assertThat(ids(index, observation("o", T0.plusSeconds(200), IP))).containsExactly("later");
    // A new version replaces the old: here it is revoked, so nothing is left under the key.
    index.add(new IndexedIndicator("later", p, T0, null, true));
    assertThat(ids(index, observation("o", T0.plusSeconds(200), IP))).isEmpty();
    assertThat(index.size()).isZero();
  }

  @Test
  void multiObservationStateIsBoundedByWithinAndCap() {
    IndicatorIndex index = new IndicatorIndex(Duration.ofHours(1), 3);
    index.add(
        indicator(
            "seq",
            "([ipv4-addr:value = '198.51.100.7'] FOLLOWEDBY [domain-name:value = 'c2.example'])"
                + " WITHIN 60 SECONDS"));
    index.add(indicator("beacon", "[ipv4-addr:value = '198.51.100.7'] REPEATS 5 TIMES"));
    String dom = "{\"type\":\"domain-name\",\"id\":\"d--1\",\"value\":\"c2.example\"}";

    List<Candidate> first = index.candidates(observation("a", T0, IP));
    assertThat(first).hasSize(2);
    Candidate seq = index.candidates(observation("b", T0.plusSeconds(30), dom)).get(0);
    assertThat(seq.observations()).extracting(Observation::id).containsExactly("a", "b");
    // Beyond the 60 s window, "a" is forgotten.
    seq = index.candidates(observation("c", T0.plusSeconds(120), dom)).get(0);
    assertThat(seq.observations()).extracting(Observation::id).containsExactly("c");

    // No WITHIN: the horizon applies, and at most 3 observations are kept.
    for (int i = 0; i < 5; i++) {
      index.candidates(observation("r" + i, T0.plusSeconds(200 + i), IP));
    }
    Candidate beacon =
        index.candidates(observation("r5", T0.plusSeconds(300), IP)).stream()
            .filter(c -> c.indicator().id().equals("beacon"))
            .findFirst()
            .orElseThrow();
    assertThat(beacon.observations()).extracting(Observation::id).containsExactly("r3", "r4", "r5");
    beacon =
        index.candidates(observation("late", T0.plusSeconds(300 + 7200), IP)).stream()
            .filter(c -> c.indicator().id().equals("beacon"))
            .findFirst()
            .orElseThrow();
    assertThat(beacon.observations()).extracting(Observation::id).containsExactly("late");
  }

  @Test
  void matchDelegatesToTheEvaluator() {
    IndicatorIndex index = new IndicatorIndex();
    index.add(indicator("eq", "[ipv4-addr:value = '198.51.100.7']"));
    index.add(indicator("like", "[ipv4-addr:value LIKE '10.%']"));
    PatternEvaluator onlyEquality = (p, obs) -> !p.render().contains("LIKE");
    assertThat(index.match(observation("o", T0, IP), onlyEquality))
        .extracting(IndexedIndicator::id)
        .containsExactly("eq");
  }
}
