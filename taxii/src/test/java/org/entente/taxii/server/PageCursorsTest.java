package org.entente.taxii.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import org.junit.jupiter.api.Test;

class PageCursorsTest {
  private final PageCursors cursors = new PageCursors("secret");

  @Test
  void resumesWhereTheIssuedCursorSays() {
    String token = cursors.issue("scope", 123456789L);
    assertThat(cursors.resume("scope", token)).isEqualTo(123456789L);
  }

  @Test
  void isUrlSafe() {
    assertThat(cursors.issue("scope", Long.MAX_VALUE)).matches("[A-Za-z0-9_-]+");
  }

  @Test
  void refusesACursorForAnotherScope() {
    String token = cursors.issue("scope-a", 42);
    assertBad("scope-b", token);
  }

  @Test
  void refusesATamperedCursor() {
    byte[] raw = Base64.getUrlDecoder().decode(cursors.issue("scope", 42));
    raw[8] ^= 1; // the sequence number
    assertBad("scope", Base64.getUrlEncoder().withoutPadding().encodeToString(raw));
  }

  @Test
  void refusesGarbage() {
    assertBad("scope", "not a cursor!");
    assertBad("scope", "AAAA");
    assertBad("scope", "");
  }

  @Test
  void refusesCursorsOfAnotherKeyAndAcceptsThoseOfTheSameSecret() {
    String token = cursors.issue("scope", 42);
    assertThat(new PageCursors("secret").resume("scope", token)).isEqualTo(42);
    assertThatThrownBy(() -> new PageCursors("other").resume("scope", token))
        .isInstanceOf(TaxiiError.class);
    assertThatThrownBy(() -> new PageCursors(null).resume("scope", token))
        .isInstanceOf(TaxiiError.class);
  }

  private void assertBad(String scope, String token) {
    assertThatThrownBy(() -> cursors.resume(scope, token))
        .isInstanceOfSatisfying(TaxiiError.class, e -> assertThat(e.status()).isEqualTo(400));
  }
}
