package dev.cohort.client.spi;

import dev.cohort.api.InvalidInputException;
import dev.cohort.api.Mode;
import dev.cohort.client.Branch;
import java.time.Duration;
import java.util.List;

/** Argument checks every transport shares, so they all fail the same way. */
public final class Checks {
  private Checks() {}

  public static void require(Mode mode) {
    if (!Mode.TCC.equals(mode) && !Mode.SAGA.equals(mode)) {
      throw new InvalidInputException(
          "mode must be tcc or saga, was " + (mode == null ? "null" : mode.code()));
    }
  }

  public static void requireBranches(Mode mode, List<Branch> branches) {
    if (branches == null || branches.isEmpty()) {
      throw new InvalidInputException("a one-shot transaction needs at least one branch");
    }
    for (Branch b : branches) {
      if (b == null) {
        throw new InvalidInputException("branches must not contain null");
      }
      b.requireMode(mode);
    }
  }

  /** Null means the coordinator's default. */
  public static void requireTimeout(Duration timeout) {
    if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
      throw new InvalidInputException("timeout must be a positive duration but was " + timeout);
    }
  }
}
