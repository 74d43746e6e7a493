package dev.cohort.chaos.internal;

import dev.cohort.chaos.Invariant;
import dev.cohort.chaos.Invariants;
import dev.cohort.chaos.Purchase;
import dev.cohort.chaos.RunRecord;
import dev.cohort.chaos.Violation;
import java.util.ArrayList;
import java.util.List;

/** See {@link Invariants#everyTransactionTerminal()}. */
public final class EveryTransactionTerminal implements Invariant {
  @Override
  public String name() {
    return Invariants.TERMINAL;
  }

  @Override
  public List<Violation> check(RunRecord run) {
    List<Violation> found = new ArrayList<>();
    for (Purchase p : run.purchases()) {
      if (p.coordinated() && p.finalStatus() != null && !Statuses.terminal(p.finalStatus())) {
        found.add(
            new Violation(
                name(),
                p.gid(),
                "still " + p.finalStatus() + " when the quiescence window closed"));
      }
    }
    return found;
  }
}
