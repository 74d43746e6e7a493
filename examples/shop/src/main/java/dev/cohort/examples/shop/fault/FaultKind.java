package dev.cohort.examples.shop.fault;

import java.util.Locale;

/** What the fault switch does to a call it catches. */
public enum FaultKind {
  /** Answers 500 without running the call. */
  FAIL,
  /** Waits {@code millis}, then runs the call. */
  LATENCY,
  /** Hangs {@code millis} (past the caller's timeout), then runs the call for nobody. */
  TIMEOUT,
  /** Ends the process at once (Runtime.halt); in a one-JVM shop, stops this service. */
  CRASH,
  /**
   * Holds a try until the cancel of the same branch has passed (or {@code millis}), then runs it:
   * the barrier must refuse the late try.
   */
  CANCEL_BEFORE_TRY,
  /** Runs a confirm twice, freshly signed each time: the barrier must skip the second. */
  DUPLICATE_CONFIRM;

  /** The default of {@code millis} where the kind waits. */
  long defaultMillis() {
    return switch (this) {
      case LATENCY -> 200;
      case TIMEOUT, CANCEL_BEFORE_TRY -> 10_000;
      default -> 0;
    };
  }

  /** The only operation this kind applies to, or null for any. */
  String forcedOp() {
    return switch (this) {
      case CANCEL_BEFORE_TRY -> "try";
      case DUPLICATE_CONFIRM -> "confirm";
      default -> null;
    };
  }

  public String code() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** Parses {@code fail}, {@code cancel-before-try}, ...; the error lists the kinds. */
  public static FaultKind fromCode(String code) {
    for (FaultKind k : values()) {
      if (k.code().equals(code) || k.name().equalsIgnoreCase(code)) {
        return k;
      }
    }
    throw new IllegalArgumentException(
        "unknown fault kind '"
            + code
            + "'; use one of fail, latency, timeout, crash, cancel-before-try, duplicate-confirm");
  }
}
