package dev.cohort.examples.embedded;

import dev.cohort.participant.BarrierResult;
import dev.cohort.protocol.Operation;
import java.io.PrintStream;

/** Prints what each participant was asked and what its barrier decided. */
final class Narrator {
  private final PrintStream out;

  Narrator(PrintStream out) {
    this.out = out;
  }

  void call(String service, Operation op, BarrierResult result, String effect) {
    String what =
        switch (result) {
          case APPLIED -> effect;
          case DUPLICATE_SKIPPED -> "duplicate call, skipped";
          case EMPTY_ROLLBACK ->
              "nothing to undo: its try/action never took effect (empty rollback)";
          case REFUSED_AFTER_CANCEL -> "refused: already cancelled (anti-hanging)";
        };
    out.printf("     %-9s %-10s %-15s %s%n", service, op, result, what);
  }

  void refused(String service, Operation op, String why) {
    out.printf("     %-9s %-10s %-15s %s%n", service, op, "REFUSED", why);
  }

  void line(String format, Object... args) {
    out.printf(format + "%n", args);
  }
}
