package dev.cohort.chaos.internal;

import dev.cohort.chaos.Invariant;
import dev.cohort.chaos.Invariants;
import dev.cohort.chaos.Purchase;
import dev.cohort.chaos.PurchaseOutcome;
import dev.cohort.chaos.RunRecord;
import dev.cohort.chaos.Violation;
import java.util.ArrayList;
import java.util.List;

/** See {@link Invariants#answersKept()}. */
public final class AnswersKept implements Invariant {
  @Override
  public String name() {
    return Invariants.ANSWERS_KEPT;
  }

  @Override
  public List<Violation> check(RunRecord run) {
    List<Violation> found = new ArrayList<>();
    for (Purchase p : run.purchases()) {
      if (!p.coordinated() || p.answer() == PurchaseOutcome.FAILED) {
        continue;
      }
      if (p.finalStatus() == null) {
        found.add(
            new Violation(
                name(),
                p.gid(),
                "answered "
                    + p.answer().code()
                    + " but the coordinator does not know the gid after the run"));
      } else if (!p.finalStatus().equals(p.answer().code())) {
        found.add(
            new Violation(
                name(),
                p.gid(),
                "answered " + p.answer().code() + " but ended " + p.finalStatus()));
      }
    }
    return found;
  }
}
