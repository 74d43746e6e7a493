package dev.cohort.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cohort.server.cli.CohortCli;
import dev.cohort.server.cli.ParticipantWiring;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's main command, run to the end: what it prints is what a new user sees. */
class DemoCommandTest {
  @TempDir Path dir;

  @Test
  void theDemoCommitsRefusesCompensatesAndLeavesNothingHeld() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();

    int code =
        CohortCli.run(
            new PrintWriter(out),
            new PrintWriter(err),
            Map.of(),
            ParticipantWiring.NONE,
            "demo",
            "--port",
            "0",
            "--exit",
            "--dir",
            dir.toString());

    String printed = out.toString();
    assertThat(code).as(printed + err).isZero();
    assertThat(printed)
        .contains("alice buys a book")
        .contains("-> committed")
        .contains("-> rolled_back (")
        .contains("insufficient funds in account bob")
        .contains("no courier delivers to an empty address")
        .contains("account alice balance  70.00")
        .contains("account bob   balance   5.00")
        .contains("stock   book  available 2  reserved 0")
        .contains("nothing left frozen or reserved")
        .containsPattern("http://127\\.0\\.0\\.1:\\d+/v1/transactions/[0-9a-f]+");
  }
}
