package dev.cohort.examples.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedDemoTest {
  @TempDir Path dir;

  @Test
  void demoEndsEveryTransactionAndItsInvariantsHold() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    boolean ok;
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      ok = EmbeddedDemo.run(dir, out);
    }
    String printed = bytes.toString(StandardCharsets.UTF_8);

    assertThat(ok).as(printed).isTrue();
    assertThat(printed)
        .contains("=> COMMITTED")
        .contains("account   CANCEL     EMPTY_ROLLBACK")
        .contains("payment   COMPENSATE APPLIED         refunded")
        .contains("all hold");
  }

  @Test
  void runningTwiceStartsFromAFreshShop() throws Exception {
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

    assertThat(EmbeddedDemo.run(dir, quiet)).isTrue();
    assertThat(EmbeddedDemo.run(dir, quiet)).isTrue();
  }
}
