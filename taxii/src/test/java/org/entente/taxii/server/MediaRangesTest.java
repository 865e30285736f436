package org.entente.taxii.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class MediaRangesTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "application/taxii+json;version=2.1",
        "application/taxii+json",
        "application/taxii+json; version=2.1",
        "application/taxii+json ; version=2.1 ; q=0.5",
        "application/taxii+json;version=\"2.1\"",
        "APPLICATION/TAXII+JSON;VERSION=2.1",
        "*/*",
        "application/*",
        "text/html, application/taxii+json;version=2.1;q=0.1",
        "application/taxii+json;version=2.0, application/taxii+json;version=2.1",
        "text/html;q=0.9, */*;q=0.1",
      })
  void acceptsTaxiiAndWildcards(String accept) {
    assertThat(MediaRanges.acceptsTaxii(accept)).isTrue();
  }

  @ParameterizedTest
  @NullAndEmptySource
  void acceptsARequestWithoutAcceptHeader(String accept) {
    assertThat(MediaRanges.acceptsTaxii(accept)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "application/json",
        "text/html",
        "application/taxii+json;version=2.0",
        "application/vnd.oasis.taxii+json; version=2.0",
        "application/stix+json;version=2.1",
        "application/taxii+json;q=0",
        // the more specific range refuses it, whatever the wildcard says
        "application/taxii+json;version=2.1;q=0, */*",
        "nonsense",
        "text/*",
      })
  void refusesEverythingElse(String accept) {
    assertThat(MediaRanges.acceptsTaxii(accept)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "application/taxii+json;version=2.1",
        "application/taxii+json",
        "application/taxii+json; version=2.1",
        "application/taxii+json;version=2.1;charset=utf-8",
        "application/taxii+json; charset=UTF-8",
      })
  void postContentTypesThatAreTaxii(String contentType) {
    assertThat(MediaRanges.isTaxiiContent(contentType)).isTrue();
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(
      strings = {
        "application/json",
        "text/plain",
        "application/taxii+json;version=2.0",
        "application/taxii+json;charset=iso-8859-1",
        "application/stix+json;version=2.1",
        "*/*",
      })
  void postContentTypesThatAreNot(String contentType) {
    assertThat(MediaRanges.isTaxiiContent(contentType)).isFalse();
  }
}
