package dev.cohort.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.cohort.jdbc.Database;
import dev.cohort.store.jdbc.JdbcTransactionStore;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

/** When the log cannot be reached the API says 503, not 500, and health says down. */
class StoreDownTest {
  @TempDir Path dir;

  @Test
  void anUnreachableLogIsA503AndHealthSaysDown() {
    SQLiteDataSource sqlite = new SQLiteDataSource();
    sqlite.setUrl("jdbc:sqlite:" + dir.resolve("log.db"));
    HikariConfig config = new HikariConfig();
    config.setDataSource(sqlite);
    config.setConnectionTimeout(250);
    HikariDataSource pool = new HikariDataSource(config);
    CohortServer server =
        CohortServer.builder(JdbcTransactionStore.builder(pool, Database.SQLITE).build())
            .port(0)
            .build()
            .start();
    try {
      ApiClient api = new ApiClient(server.port(), server.token());
      assertThat(server.tokenGenerated()).isTrue();
      assertThat(server.token()).hasSizeGreaterThanOrEqualTo(32);
      assertThat(api.get("/health").status()).isEqualTo(200);

      pool.close();

      ApiClient.Answer health = api.get("/health");
      assertThat(health.status()).isEqualTo(503);
      assertThat(health.field("status")).isEqualTo("down");
      assertThat(health.body().get("store").get("status").asText()).isEqualTo("down");
      ApiClient.Answer create = api.post("/v1/transactions", "{\"mode\":\"tcc\"}");
      assertThat(create.status()).isEqualTo(503);
      assertThat(create.field("error")).isEqualTo("unavailable");
      assertThat(create.field("message")).contains("log");
      assertThat(api.get("/v1/transactions/some-gid").status()).isEqualTo(503);
      assertThat(api.get("/metrics").status()).isEqualTo(200);
    } finally {
      server.close();
    }
  }
}
