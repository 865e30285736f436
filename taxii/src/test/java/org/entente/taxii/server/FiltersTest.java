package org.entente.taxii.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.entente.stix.StixTimestamp;
import org.entente.store.SpecVersions;
import org.entente.store.VersionSelector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FiltersTest {

  private static Map<String, List<String>> params(String... kv) {
    Map<String, List<String>> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.computeIfAbsent(kv[i], k -> new java.util.ArrayList<>()).add(kv[i + 1]);
    }
    return m;
  }

  private static Filters objects(String... kv) {
    return Filters.parse(params(kv), Filters.Kind.OBJECTS, 100, 1000);
  }

  private static void assertBad(Filters.Kind kind, String... kv) {
    assertThatThrownBy(() -> Filters.parse(params(kv), kind, 100, 1000))
        .isInstanceOfSatisfying(TaxiiError.class, e -> assertThat(e.status()).isEqualTo(400));
  }

  @Test
  void defaultsAreLastVersionNewestSpecAndTheDefaultPage() {
    Filters f = objects();
    assertThat(f.versions()).isEqualTo(VersionSelector.LAST);
    assertThat(f.specVersions()).isEqualTo(SpecVersions.NEWEST);
    assertThat(f.limit()).isEqualTo(100);
    assertThat(f.addedAfter()).isNull();
    assertThat(f.next()).isNull();
  }

  @Test
  void readsEveryObjectsFilter() {
    Filters f =
        objects(
            "added_after", "2024-01-01T00:00:00.123456Z",
            "limit", "7",
            "match[id]", "indicator--1,malware--2",
            "match[type]", "indicator,malware",
            "match[version]", "first,2024-02-01T00:00:00Z,last",
            "match[spec_version]", "2.0,2.1");
    assertThat(f.addedAfter()).isEqualTo(Instant.parse("2024-01-01T00:00:00.123456Z"));
    assertThat(f.limit()).isEqualTo(7);
    assertThat(f.ids()).containsExactlyInAnyOrder("indicator--1", "malware--2");
    assertThat(f.types()).containsExactlyInAnyOrder("indicator", "malware");
    assertThat(f.versions())
        .isEqualTo(
            new VersionSelector(
                false, true, true, Set.of(StixTimestamp.parse("2024-02-01T00:00:00Z").sortKey())));
    assertThat(f.specVersions().listed()).containsExactlyInAnyOrder("2.0", "2.1");
  }

  @Test
  void capsALimitAboveTheServerMaximumSilently() {
    assertThat(objects("limit", "5000").limit()).isEqualTo(1000);
    assertThat(objects("limit", "99999999999999999999999").limit()).isEqualTo(1000);
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "-1", "abc", "1.5", "+3", " 3", "000"})
  void refusesALimitThatIsNotAPositiveInteger(String limit) {
    assertBad(Filters.Kind.OBJECTS, "limit", limit);
  }

  @ParameterizedTest
  @ValueSource(strings = {"yesterday", "2024-01-01", "2024-13-01T00:00:00Z", "2024-01-01T00:00:00"})
  void refusesAnAddedAfterThatIsNotATimestamp(String value) {
    assertBad(Filters.Kind.OBJECTS, "added_after", value);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "all,first",
        "last,last",
        "first,first",
        "2024-01-01T00:00:00Z,2024-01-01T00:00:00.000Z",
        "newest",
        "first,,last",
        "first, last"
      })
  void refusesBadVersionLists(String value) {
    assertBad(Filters.Kind.OBJECTS, "match[version]", value);
  }

  @Test
  void refusesARepeatedParameter() {
    assertBad(Filters.Kind.OBJECTS, "match[type]", "indicator", "match[type]", "malware");
    assertBad(Filters.Kind.OBJECTS, "limit", "1", "limit", "2");
    assertBad(
        Filters.Kind.VERSIONS,
        "added_after",
        "2024-01-01T00:00:00Z",
        "added_after",
        "2024-01-01T00:00:00Z");
  }

  @Test
  void refusesEmptyValues() {
    assertBad(Filters.Kind.OBJECTS, "match[type]", "");
    assertBad(Filters.Kind.OBJECTS, "next", "");
    assertBad(Filters.Kind.OBJECTS, "match[spec_version]", "2.1,");
    assertBad(Filters.Kind.OBJECTS, "match[spec_version]", "latest");
  }

  @Test
  void ignoresUnknownMatchFieldsAndFieldsTheEndpointDoesNotDefine() {
    Filters f =
        Filters.parse(
            params("match[colour]", "red", "match[type]", "indicator", "foo", "bar"),
            Filters.Kind.VERSIONS,
            100,
            1000);
    assertThat(f.types()).isEmpty();
    assertThat(f.versions()).isEqualTo(VersionSelector.ALL);
  }

  @Test
  void deleteDefaultsToEveryVersion() {
    Filters f = Filters.parse(params(), Filters.Kind.DELETE, 1, 1);
    assertThat(f.versions()).isEqualTo(VersionSelector.ALL);
  }

  @Test
  void canonicalFormIgnoresOrderAndLimitButNotFilters() {
    String a = objects("match[type]", "malware,indicator", "limit", "5").canonical();
    String b = objects("match[type]", "indicator,malware", "limit", "50").canonical();
    String c = objects("match[type]", "indicator").canonical();
    assertThat(a).isEqualTo(b).isNotEqualTo(c);
  }
}
