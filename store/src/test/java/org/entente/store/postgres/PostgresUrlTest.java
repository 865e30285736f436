package org.entente.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PostgresUrlTest {
  @Test
  void aLibpqUriBecomesAJdbcUrlWithTheCredentialsApart() {
    PostgresUrl u =
        PostgresUrl.parse("postgresql://entente:s%40cr%3At+x@db.example:5433/cti?sslmode=require");

    assertThat(u.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example:5433/cti?sslmode=require");
    assertThat(u.user()).isEqualTo("entente");
    assertThat(u.password()).isEqualTo("s@cr:t+x");
    assertThat(u.redacted()).doesNotContain("s@cr");
    assertThat(u.toString()).doesNotContain("s@cr");
  }

  @Test
  void partsMayBeMissing() {
    assertThat(PostgresUrl.parse("postgres://localhost/cti"))
        .isEqualTo(new PostgresUrl("jdbc:postgresql://localhost/cti", null, null));
    assertThat(PostgresUrl.parse("postgresql://bob@[::1]:5432/x"))
        .isEqualTo(new PostgresUrl("jdbc:postgresql://[::1]:5432/x", "bob", null));
    assertThat(PostgresUrl.parse("postgresql:///cti").jdbcUrl())
        .isEqualTo("jdbc:postgresql://localhost/cti");
    assertThat(
            PostgresUrl.parse("postgresql://h1:5432,h2:5433/cti?target_session_attrs=any")
                .jdbcUrl())
        .isEqualTo("jdbc:postgresql://h1:5432,h2:5433/cti?target_session_attrs=any");
    assertThat(PostgresUrl.parse("postgresql://h?user=a").jdbcUrl())
        .isEqualTo("jdbc:postgresql://h/?user=a");
  }

  @Test
  void aJdbcUrlIsTakenAsItIs() {
    String jdbc = "jdbc:postgresql://localhost:5432/cti?user=a&password=secret";
    PostgresUrl u = PostgresUrl.parse(jdbc);

    assertThat(u.jdbcUrl()).isEqualTo(jdbc);
    assertThat(u.redacted()).doesNotContain("secret");
    assertThat(PostgresUrl.isPostgres(jdbc)).isTrue();
    assertThat(PostgresUrl.isPostgres("/var/lib/entente")).isFalse();
  }

  @Test
  void otherUrlsAreRefused() {
    assertThatThrownBy(() -> PostgresUrl.parse("mysql://x/y"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PostgresUrl.parse("postgresql://a:%zz@h/db"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("zz");
  }
}
