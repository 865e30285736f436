package org.entente.bench;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PostgresBackendTest {
  @Test
  void aPostgresServerOffThisMachineIsRefusedBeforeAnyConnection() {
    assertThatThrownBy(() -> PostgresBackend.external("postgresql://u:pw@db.example.org:5432/x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("this machine")
        .hasMessageNotContaining("pw");
  }
}
