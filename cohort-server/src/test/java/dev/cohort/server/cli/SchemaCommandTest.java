package dev.cohort.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SchemaCommandTest {
  record Run(int code, String out, String err) {}

  private static Run cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        CohortCli.run(
            new PrintWriter(out), new PrintWriter(err), Map.of(), ParticipantWiring.NONE, args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void theLockAndTheEventStoreTablesArePrintedAlone() {
    Run lock = cli("schema", "--database", "postgresql", "--component", "lock");
    assertThat(lock.code()).as(lock.err()).isZero();
    assertThat(lock.out()).contains("CREATE TABLE cohort_lock").doesNotContain("cohort_event");

    Run events = cli("schema", "--database", "mariadb", "--component", "EventStore");
    assertThat(events.code()).as(events.err()).isZero();
    assertThat(events.out())
        .contains("cohort_event_head")
        .contains("cohort_projection_checkpoint")
        .contains("cohort_eventstore_schema_version")
        .doesNotContain("cohort_lock");
  }

  @Test
  void allPrintsEveryComponent() {
    Run all = cli("schema", "--database", "sqlite");
    assertThat(all.code()).as(all.err()).isZero();
    assertThat(all.out())
        .contains("cohort_barrier")
        .contains("cohort_lock")
        .contains("cohort_event");
  }

  @Test
  void anUnknownComponentIsRefusedNamingTheChoices() {
    Run bad = cli("schema", "--database", "sqlite", "--component", "locks");
    assertThat(bad.code()).isNotZero();
    assertThat(bad.err()).contains("unknown component 'locks'").contains("lock, eventstore");
  }
}
