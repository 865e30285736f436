package org.entente.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseUrlsTest {
  @TempDir Path dir;

  @Test
  void redactsThePasswordOfEitherForm() {
    assertThat(DatabaseUrls.redacted("postgresql://entente:s3cr%40t@db.example:5432/entente"))
        .isEqualTo("postgresql://entente:***@db.example:5432/entente");
    assertThat(DatabaseUrls.redacted("postgres://entente:p@ss@[::1]/e?sslmode=require"))
        .isEqualTo("postgres://entente:***@[::1]/e?sslmode=require");
    assertThat(DatabaseUrls.redacted("postgresql://entente@db/e?password=x1&sslmode=verify-full"))
        .isEqualTo("postgresql://entente@db/e?password=***&sslmode=verify-full");
    assertThat(DatabaseUrls.redacted("jdbc:postgresql://db:5432/e?user=u&Password=x1"))
        .isEqualTo("jdbc:postgresql://db:5432/e?user=u&Password=***");
    assertThat(DatabaseUrls.redacted("postgresql:///e")).isEqualTo("postgresql:///e");
  }

  @Test
  void scrubsEverySpellingOfThePasswordFromAMessage() {
    String url = "postgresql://entente:s3cr%40t%2Bx@db/entente";
    assertThat(
            DatabaseUrls.scrub(
                "login of entente with s3cr@t+x failed at " + url + " (s3cr%40t%2Bx)", url))
        .doesNotContain("s3cr")
        .contains("postgresql://entente:***@db/entente");
    String jdbc = "jdbc:postgresql://db/e?user=u&password=pa+ss%21";
    assertThat(DatabaseUrls.scrub("no suitable driver for " + jdbc + ": pa ss! pa+ss!", jdbc))
        .doesNotContain("pa+ss")
        .doesNotContain("pa ss")
        .contains("password=***");
    assertThat(DatabaseUrls.scrub("nothing to hide", null)).isEqualTo("nothing to hide");
  }

  @Test
  void onlyPostgresUrlsAreTakenAndTheComplaintDoesNotQuoteThem() {
    DatabaseUrls.check("postgresql://u:p@h/db");
    DatabaseUrls.check("jdbc:postgresql://h/db?user=u&password=p");
    assertThatThrownBy(() -> DatabaseUrls.check("mysql://root:S3cret@h/db"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("postgresql://USER:PASSWORD@HOST:PORT/DB")
        .hasMessageNotContaining("S3cret");
    assertThatThrownBy(() -> DatabaseUrls.check("postgresql://u:S3cret%zz@h/db"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("S3cret");
  }

  @Test
  void theConfigFileNamesTheDatabaseAndToStringNeverShowsPasswords() throws Exception {
    Path file = dir.resolve("node.properties");
    Files.writeString(
        file,
        "db=postgresql://entente:S3cret@db/entente\ntls.keystore-password=KsPass\nport=7000\n");
    NodeConfig config = NodeConfig.defaults().withFile(file);
    assertThat(config.databaseUrl()).isEqualTo("postgresql://entente:S3cret@db/entente");
    assertThat(config.postgres()).isTrue();
    // Every with... keeps the database; withDatabase(null or blank) means SQLite.
    NodeConfig moved =
        config
            .withDataDir(dir)
            .withListen("0.0.0.0", 0)
            .withHomeOrg("cert-fr")
            .withMaxContentLength(1024)
            .withTls(dir.resolve("ks.p12"), "pw", null);
    assertThat(moved.databaseUrl()).isEqualTo(config.databaseUrl());
    assertThat(moved.withDatabase(" ").databaseUrl()).isNull();
    assertThat(moved.withDatabase(null).postgres()).isFalse();
    assertThat(config.toString())
        .contains("postgresql://entente:***@db/entente")
        .doesNotContain("S3cret")
        .doesNotContain("KsPass");

    Files.writeString(file, "db=\n");
    assertThat(NodeConfig.defaults().withFile(file).databaseUrl()).isNull();
    Files.writeString(file, "db=mysql://root:S3cret@db/x\n");
    assertThatThrownBy(() -> NodeConfig.defaults().withFile(file))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("S3cret");
  }
}
