package dev.cohort.chaos.internal;

import dev.cohort.chaos.Invariant;
import dev.cohort.chaos.RunRecord;
import dev.cohort.chaos.Totals;
import dev.cohort.chaos.Violation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Every total is zero after the run. */
public final class AllZero implements Invariant {
  private final String name;
  private final Totals totals;

  public AllZero(String name, Totals totals) {
    this.name = Objects.requireNonNull(name, "name");
    this.totals = Objects.requireNonNull(totals, "totals");
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public List<Violation> check(RunRecord run) throws Exception {
    List<Violation> found = new ArrayList<>();
    for (Map.Entry<String, Long> t : totals.read().entrySet()) {
      if (t.getValue() != 0) {
        found.add(
            new Violation(
                name, null, t.getKey() + " is " + t.getValue() + " once every transaction ended"));
      }
    }
    return found;
  }
}
