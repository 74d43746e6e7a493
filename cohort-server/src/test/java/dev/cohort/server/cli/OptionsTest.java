package dev.cohort.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cohort.jdbc.Database;
import org.junit.jupiter.api.Test;

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
}
