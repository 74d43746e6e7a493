package dev.cohort.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cohort.protocol.v1.Codec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChaosReportTest {
  private static ChaosReport report(List<Violation> violations) {
    return new ChaosReport(
        "chaos-x-",
        Map.of("tcc", new ModeStats(true, 10, 6, 3, 2, 1, 1)),
        Map.of("kill coordinator", 3),
        List.of(),
        Duration.ofSeconds(12),
        null,
        Duration.ofSeconds(60),
        List.of(Invariants.TERMINAL, "money-conserved"),
        violations);
  }

  @Test
  void aViolationFailsTheRunAndBothFormatsNameItsGidAndInvariant() throws Exception {
    ChaosReport r =
        report(List.of(new Violation(Invariants.TERMINAL, "chaos-x-7", "still failed")));

    assertThat(r.exitCode()).isEqualTo(ChaosReport.VIOLATED);
    assertThat(r.toText())
        .contains("FAILED: 1 violation(s)")
        .contains("every-transaction-terminal [chaos-x-7]: still failed")
        .contains("not reached within 60.0 s")
        .contains("kill coordinator x3");
    JsonNode json = Codec.JSON.readTree(r.toJson());
    assertThat(json.get("exitCode").asInt()).isEqualTo(1);
    assertThat(json.at("/violations/0/gid").asText()).isEqualTo("chaos-x-7");
    assertThat(json.at("/violations/0/invariant").asText()).isEqualTo(Invariants.TERMINAL);
    assertThat(json.at("/modes/tcc/resolved").asInt()).isEqualTo(1);
    assertThat(json.get("quiescenceMs").isNull()).isTrue();
  }

  @Test
  void noViolationPasses() {
    ChaosReport r = report(List.of());

    assertThat(r.exitCode()).isEqualTo(ChaosReport.OK);
    assertThat(r.toText()).contains("PASSED");
  }

  @Test
  void theCliExitsTwoWhenItCannotRunNamingTheProblem() {
    assertThat(ChaosCli.run("--system", "no.such.Factory", "--mix", "tcc=1", "--purchases", "1"))
        .isEqualTo(ChaosReport.UNUSABLE);
    assertThat(ChaosCli.run("--mix", "tcc=1")).isEqualTo(ChaosReport.UNUSABLE);
  }
}
