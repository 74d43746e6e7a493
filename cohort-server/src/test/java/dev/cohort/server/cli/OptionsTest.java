package dev.cohort.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cohort.jdbc.Database;
import dev.cohort.server.ServerMetrics;
import dev.cohort.store.jdbc.JdbcTransactionStore;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OptionsTest {
  @Test
  void storeSpecsNameTheDatabaseAndKeepTheUrl() {
    assertThat(StoreSpec.parse("sqlite:/var/lib/cohort/log.db"))
        .isEqualTo(new StoreSpec(Database.SQLITE, "/var/lib/cohort/log.db"));
    assertThat(StoreSpec.parse("postgres:jdbc:postgresql://db:5432/cohort").database())
        .isEqualTo(Database.POSTGRESQL);
    assertThat(StoreSpec.parse("mariadb:jdbc:mariadb://db/cohort?password=secret").display())
        .isEqualTo("mariadb:jdbc:mariadb://db/cohort");
  }

  @Test
  void badStoreSpecsSayWhatIsExpected() {
    assertThatThrownBy(() -> StoreSpec.parse("log.db")).hasMessageContaining("sqlite:PATH");
    assertThatThrownBy(() -> StoreSpec.parse("oracle:jdbc:oracle:thin:@x"))
        .hasMessageContaining("unknown");
    assertThatThrownBy(() -> StoreSpec.parse("postgres://db/cohort"))
        .hasMessageContaining("jdbc:postgresql:");
  }

  @Test
  void durationsReadUnitsAndMilliseconds() {
    assertThat(Durations.millis("1500")).isEqualTo(1500);
    assertThat(Durations.millis("90s")).isEqualTo(90_000);
    assertThat(Durations.millis("10m")).isEqualTo(600_000);
    assertThat(Durations.millis("2h")).isEqualTo(7_200_000);
    assertThat(Durations.millis("1d")).isEqualTo(86_400_000);
    assertThatThrownBy(() -> Durations.millis("soon")).hasMessageContaining("10m");
  }

  @TempDir Path dir;

  @Test
  void attemptsKeptOutsideOneToAThousandIsAUsageErrorNamingTheFlagAndNothingIsOpened() {
    Path log = dir.resolve("log.db");
    for (String bad : new String[] {"0", "1001", "-3"}) {
      assertThat(usageError(log, "--attempts-kept", bad))
          .as(bad)
          .contains("--attempts-kept must be a whole number from 1 to 1000")
          .contains("was " + bad);
    }
    assertThat(usageError(log, "--attempts-kept", "ten"))
        .contains("--attempts-kept")
        .contains("ten");
    assertThat(Files.exists(log)).as("refused before the log is opened").isFalse();
  }

  @Test
  void attemptsKeptReachesTheLogAndItsAbsenceKeepsTheDefault() {
    ServeCommand serve = new ServeCommand(Map.of(), ParticipantWiring.NONE);
    ServerMetrics metrics =
        new ServerMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    try (JdbcTransactionStore log =
        serve.open(StoreSpec.parse("sqlite:" + dir.resolve("default.db")), null, metrics)) {
      assertThat(log.attemptsKept()).isEqualTo(JdbcTransactionStore.DEFAULT_ATTEMPTS_KEPT);
    }
    serve.attemptsKept = 3;
    try (JdbcTransactionStore log =
        serve.open(StoreSpec.parse("sqlite:" + dir.resolve("three.db")), null, metrics)) {
      assertThat(log.attemptsKept()).isEqualTo(3);
    }
  }

  @Test
  void theServerKeepsTextIndexesUnlessToldNotTo() {
    ServerMetrics metrics =
        new ServerMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    ServeCommand serve = new ServeCommand(Map.of(), ParticipantWiring.NONE);
    try (JdbcTransactionStore log =
        serve.open(StoreSpec.parse("sqlite:" + dir.resolve("kept.db")), null, metrics)) {
      assertThat(log.textIndexes()).isTrue();
    }
    serve.textIndexes = false; // --no-text-indexes
    try (JdbcTransactionStore log =
        serve.open(StoreSpec.parse("sqlite:" + dir.resolve("none.db")), null, metrics)) {
      assertThat(log.textIndexes()).isFalse();
    }
  }

  @Test
  void aTlsHandshakeTimeoutThatIsNotPositiveOrWithoutTlsIsAUsageErrorAndNothingIsOpened() {
    Path log = dir.resolve("log.db");
    for (String[] bad :
        new String[][] {
          {"PT0S", "must be a positive duration", "was PT0S"},
          {"-PT1S", "must be a positive duration", "was PT-1S"},
          {"PT5S", "applies to a TLS listener only", "--tls-cert"},
          {"soon", "soon", "--tls-handshake-timeout"}
        }) {
      String err = usageError(log, "--tls-handshake-timeout", bad[0]);
      assertThat(err).as(bad[0]).contains("--tls-handshake-timeout").contains(bad[1]);
      assertThat(err).as(bad[0]).contains(bad[2]);
    }
    assertThat(Files.exists(log)).as("refused before the log is opened").isFalse();
  }

  /** Runs {@code server --store sqlite:LOG FLAG VALUE}, expects a usage error, returns stderr. */
  private static String usageError(Path log, String flag, String value) {
    StringWriter err = new StringWriter();
    int code =
        CohortCli.run(
            new PrintWriter(new StringWriter()),
            new PrintWriter(err),
            Map.of(),
            ParticipantWiring.NONE,
            "server",
            "--store",
            "sqlite:" + log,
            flag,
            value);
    assertThat(code).as(flag + " " + value).isEqualTo(CohortCli.USAGE);
    return err.toString();
  }
}
