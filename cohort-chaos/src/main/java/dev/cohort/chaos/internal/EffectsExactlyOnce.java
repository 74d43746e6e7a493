package dev.cohort.chaos.internal;

import dev.cohort.chaos.Effect;
import dev.cohort.chaos.EffectLedger;
import dev.cohort.chaos.Invariant;
import dev.cohort.chaos.Invariants;
import dev.cohort.chaos.Purchase;
import dev.cohort.chaos.RunRecord;
import dev.cohort.chaos.Violation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** See {@link Invariants#effectsExactlyOnce(EffectLedger)}. */
public final class EffectsExactlyOnce implements Invariant {
  private final EffectLedger ledger;

  public EffectsExactlyOnce(EffectLedger ledger) {
    this.ledger = Objects.requireNonNull(ledger, "ledger");
  }

  @Override
  public String name() {
    return Invariants.EXACTLY_ONCE;
  }

  @Override
  public List<Violation> check(RunRecord run) throws Exception {
    // gid -> branch -> op -> times applied
    Map<String, Map<String, Map<String, Integer>>> applied = new LinkedHashMap<>();
    for (Effect e : ledger.effects()) {
      applied
          .computeIfAbsent(e.gid(), g -> new LinkedHashMap<>())
          .computeIfAbsent(e.branchId(), b -> new LinkedHashMap<>())
          .merge(e.op(), 1, Integer::sum);
    }
    List<Violation> found = new ArrayList<>();
    for (Map.Entry<String, Map<String, Map<String, Integer>>> tx : applied.entrySet()) {
      Optional<Purchase> purchase = run.purchase(tx.getKey());
      if (purchase.isEmpty() || !purchase.get().coordinated()) {
        continue; // not this run's, or judged by the system's own invariants
      }
      String status = purchase.get().finalStatus();
      for (Map.Entry<String, Map<String, Integer>> branch : tx.getValue().entrySet()) {
        check(tx.getKey(), status, branch.getKey(), branch.getValue(), found);
      }
    }
    return found;
  }

  private void check(
      String gid, String status, String branch, Map<String, Integer> ops, List<Violation> found) {
    for (Map.Entry<String, Integer> op : ops.entrySet()) {
      if (op.getValue() > 1) {
        found.add(violation(gid, branch, op.getKey() + " applied " + op.getValue() + " times"));
      }
    }
    if (status == null) {
      found.add(
          violation(gid, branch, "effects " + ops + " for a gid the coordinator never logged"));
      return;
    }
    int tries = ops.getOrDefault("try", 0);
    int actions = ops.getOrDefault("action", 0);
    int confirms = ops.getOrDefault("confirm", 0);
    int undos = ops.getOrDefault("cancel", 0) + ops.getOrDefault("compensate", 0);
    if (undos > 0 && tries + actions == 0) {
      // The barrier turns a cancel that arrives before its try into an empty rollback.
      found.add(violation(gid, branch, "undone, but nothing had been applied to undo"));
    }
    switch (status) {
      case "committed" -> {
        if (tries > 0 && confirms == 0) {
          found.add(violation(gid, branch, "committed, but its try was never confirmed"));
        }
        if (undos > 0) {
          found.add(violation(gid, branch, "committed, but undone " + undos + " time(s)"));
        }
      }
      case "rolled_back" -> {
        if (confirms > 0) {
          found.add(violation(gid, branch, "rolled back, but confirmed"));
        }
        if (tries + actions > 0 && undos == 0) {
          found.add(violation(gid, branch, "rolled back, but its applied work was never undone"));
        }
      }
      default -> {
        // resolved by an operator, or not terminal (reported by every-transaction-terminal)
      }
    }
  }

  private Violation violation(String gid, String branch, String what) {
    return new Violation(name(), gid, "branch " + branch + ": " + what);
  }
}
