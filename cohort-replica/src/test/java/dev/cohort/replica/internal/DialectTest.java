package dev.cohort.replica.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cohort.jdbc.Database;
import dev.cohort.replica.ReplicaOptions;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import org.junit.jupiter.api.Test;

class DialectTest {
  @Test
  void postgresqlAndMariadbHaveDialects() {
    assertThat(Dialect.of(Database.POSTGRESQL).database()).isEqualTo(Database.POSTGRESQL);
    assertThat(Dialect.of(Database.MARIADB).database()).isEqualTo(Database.MARIADB);
    assertThat(ReplicaOptions.builder().database(Database.MARIADB).build().database())
        .contains(Database.MARIADB);
  }

  @Test
  void sqliteIsRefusedNamingTheSupportedDatabases() {
    assertThatThrownBy(() -> ReplicaOptions.builder().database(Database.SQLITE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("SQLITE has no replicas")
        .hasMessageContaining("Database.POSTGRESQL, Database.MARIADB");
    assertThatThrownBy(() -> Dialect.of(Database.SQLITE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("SQLITE has no replicas");
  }

  @Test
  void detectsThePrimarysDatabaseAndRefusesOthers() throws Exception {
    assertThat(Dialect.detect(connectionTo("PostgreSQL"))).isEqualTo(Database.POSTGRESQL);
    assertThat(Dialect.detect(connectionTo("MySQL"))).isEqualTo(Database.MARIADB);
    assertThatThrownBy(() -> Dialect.detect(connectionTo("SQLite")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("SQLITE has no replicas");
    assertThatThrownBy(() -> Dialect.detect(connectionTo("Oracle")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("the primary says it is 'Oracle'")
        .hasMessageContaining("PostgreSQL or MariaDB");
  }

  /** A connection whose metadata names {@code product}; nothing else is called. */
  private static Connection connectionTo(String product) {
    DatabaseMetaData meta =
        (DatabaseMetaData)
            Proxy.newProxyInstance(
                DialectTest.class.getClassLoader(),
                new Class<?>[] {DatabaseMetaData.class},
                (proxy, method, args) -> {
                  if (method.getName().equals("getDatabaseProductName")) {
                    return product;
                  }
                  throw new UnsupportedOperationException(method.getName());
                });
    return (Connection)
        Proxy.newProxyInstance(
            DialectTest.class.getClassLoader(),
            new Class<?>[] {Connection.class},
            (proxy, method, args) -> {
              if (method.getName().equals("getMetaData")) {
                return meta;
              }
              throw new UnsupportedOperationException(method.getName());
            });
  }
}
