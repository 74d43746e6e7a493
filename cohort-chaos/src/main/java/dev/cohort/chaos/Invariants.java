package dev.cohort.chaos;

import dev.cohort.chaos.internal.AllZero;
import dev.cohort.chaos.internal.AnswersKept;
import dev.cohort.chaos.internal.Conserved;
import dev.cohort.chaos.internal.EffectsExactlyOnce;
import dev.cohort.chaos.internal.EveryTransactionTerminal;

/** The invariants the checker ships; a system adds its own through {@link Invariant}. */
public final class Invariants {
  /** Name of {@link #everyTransactionTerminal()}. */
  public static final String TERMINAL = "every-transaction-terminal";

  /** Name of {@link #answersKept()}. */
  public static final String ANSWERS_KEPT = "answers-kept";

  /** Name of {@link #effectsExactlyOnce(EffectLedger)}. */
  public static final String EXACTLY_ONCE = "effects-exactly-once";

  private Invariants() {}

  /**
   * Every coordinated purchase the coordinator knows is committed, rolled back or resolved by an
   * operator once the quiescence window closed.
   */
  public static Invariant everyTransactionTerminal() {
    return new EveryTransactionTerminal();
  }

  /**
   * An outcome the coordinator answered is the one it keeps: a purchase answered committed is
   * committed after every crash (and one answered rolled back stays rolled back).
   */
  public static Invariant answersKept() {
    return new AnswersKept();
  }

  /**
   * From the ledger: no operation applied twice to one branch; a committed transaction confirmed
   * every tried branch once and cancelled none; a rolled-back one confirmed nothing and undid every
   * applied try or action once; nothing is undone that was not applied (an empty rollback changes
   * no data); a gid the coordinator does not know has no effect.
   */
  public static Invariant effectsExactlyOnce(EffectLedger ledger) {
    return new EffectsExactlyOnce(ledger);
  }

  /** Each total of {@code totals} is the same after the run as before it. */
  public static Invariant conserved(String name, Totals totals) {
    return new Conserved(name, totals);
  }

  /**
   * Each total of {@code totals} is zero after the run: nothing frozen, no pending points, no
   * UNKNOWN note once every transaction is terminal.
   */
  public static Invariant allZero(String name, Totals totals) {
    return new AllZero(name, totals);
  }
}
