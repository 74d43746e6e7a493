package dev.cohort.chaos.internal;

import dev.cohort.chaos.Invariant;
import dev.cohort.chaos.RunRecord;
import dev.cohort.chaos.Totals;
import dev.cohort.chaos.Violation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Totals read before the run equal those read after it. */
public final class Conserved implements Invariant {
  private final String name;
  private final Totals totals;
  private Map<String, Long> before;

  public Conserved(String name, Totals totals) {
    this.name = Objects.requireNonNull(name, "name");
    this.totals = Objects.requireNonNull(totals, "totals");
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void beforeRun() throws Exception {
    before = Map.copyOf(totals.read());
  }

  @Override
  public List<Violation> check(RunRecord run) throws Exception {
    if (before == null) {
      throw new IllegalStateException(name + ": beforeRun() was not called, nothing to compare");
    }
    Map<String, Long> after = totals.read();
    List<Violation> found = new ArrayList<>();
    for (Map.Entry<String, Long> b : before.entrySet()) {
      Long a = after.get(b.getKey());
      if (!b.getValue().equals(a)) {
        found.add(
            new Violation(
                name,
                null,
                b.getKey() + " was " + b.getValue() + " before the run, " + a + " after"));
      }
    }
    return found;
  }
}
