package dev.cohort.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DatabaseTest {
  @Test
  void detectsProductNames() {
    assertThat(Database.fromProductName("PostgreSQL")).isEqualTo(Database.POSTGRESQL);
    assertThat(Database.fromProductName("MariaDB")).isEqualTo(Database.MARIADB);
    assertThat(Database.fromProductName("MySQL")).isEqualTo(Database.MARIADB);
    assertThat(Database.fromProductName("SQLite")).isEqualTo(Database.SQLITE);
  }

  @Test
  void detectsUrls() {
    assertThat(Database.fromUrl("jdbc:postgresql://h:5432/db")).isEqualTo(Database.POSTGRESQL);
    assertThat(Database.fromUrl("jdbc:mariadb://h/db")).isEqualTo(Database.MARIADB);
    assertThat(Database.fromUrl("jdbc:mysql://h/db")).isEqualTo(Database.MARIADB);
    assertThat(Database.fromUrl("jdbc:sqlite:/tmp/log.db")).isEqualTo(Database.SQLITE);
  }

  @Test
  void unsupportedProductIsNamedWithTheSupportedOnes() {
    assertThatThrownBy(() -> Database.fromProductName("Oracle"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'Oracle'")
        .hasMessageContaining("supported: PostgreSQL, MariaDB (and MySQL), SQLite");
    assertThatThrownBy(() -> Database.fromUrl("jdbc:h2:mem:x"))
        .hasMessageContaining("'h2'")
        .hasMessageContaining("supported:");
    assertThatThrownBy(() -> Database.fromUrl("postgresql://h/db"))
        .hasMessageContaining("not a JDBC URL");
  }

  @Test
  void readsIdsFromTheCommandLine() {
    assertThat(Database.fromId("PostgreSQL")).isEqualTo(Database.POSTGRESQL);
    assertThat(Database.fromId("postgres")).isEqualTo(Database.POSTGRESQL);
    assertThat(Database.fromId("mariadb")).isEqualTo(Database.MARIADB);
    assertThatThrownBy(() -> Database.fromId("db2")).hasMessageContaining("'db2'");
  }
}
