package org.entente.stix.validate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PatternSanityTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "[ipv4-addr:value = '198.51.100.1/32']",
        "[file:hashes.'SHA-256' = 'aa'] AND [file:name = 'x']",
        "([a:b = 1] OR [c:d = 'it\\'s']) FOLLOWEDBY [e:f IN ('a', 'b')] WITHIN 5 SECONDS",
        "[windows-registry-key:values[*].name = 'x']",
        "[file:name = 'a[b]c(d']",
        "[x-acme:x_y MATCHES '^\\\\d+$'] START t'2016-06-01T00:00:00Z' STOP"
            + " t'2016-07-01T00:00:00Z'",
      })
  void acceptsPlausiblePatterns(String pattern) {
    assertThat(PatternSanity.problem(pattern)).isNull();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "evil.example",
        "[]",
        "[ ]",
        "[value = 'x']",
        "[a:b = 'x'",
        "a:b = 'x']",
        "[a:b = 'x]",
        "([a:b = 'x']",
        "[a:b = 'x'])",
        "[a:b = 'x'] AND [",
      })
  void rejectsClearGarbage(String pattern) {
    assertThat(PatternSanity.problem(pattern)).isNotNull();
  }
}
