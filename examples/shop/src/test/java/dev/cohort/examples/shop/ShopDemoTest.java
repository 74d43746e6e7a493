package dev.cohort.examples.shop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./cohort demo --exit}, small: the coordinator and the five services on SQLite, purchases
 * in every mode under faults, and the table a new user sees.
 */
class ShopDemoTest {
  @TempDir Path dir;

  @Test
  void theCohortModesKeepEveryInvariantUnderFaults() throws Exception {
    StringWriter out = new StringWriter();

    int code =
        ShopMain.run(
            new String[] {
              "demo", "--exit", "--purchases", "24", "--port", "0", "--dir", dir.toString()
            },
            new PrintWriter(out));

    String printed = out.toString();
    assertThat(code).as(printed).isZero();
    assertThat(printed)
        .containsPattern("five shop services started in [0-9.]+ s")
        .containsPattern("\\nTCC +24 +\\d+ +\\d+ +\\d+.* 6/6 hold")
        .containsPattern("\\nsaga +24 +\\d+ +\\d+ +\\d+.* 6/6 hold")
        .containsPattern("\\nwithout Cohort +24 ")
        .contains("every invariant held in the Cohort modes.")
        .containsPattern("http://127\\.0\\.0\\.1:\\d+/v1/transactions");
  }
}
