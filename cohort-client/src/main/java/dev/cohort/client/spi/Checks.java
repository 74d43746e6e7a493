package dev.cohort.client.spi;

import dev.cohort.api.InvalidInputException;
import dev.cohort.api.Mode;
import dev.cohort.client.Branch;
import dev.cohort.protocol.ModeContract;
import dev.cohort.protocol.ModeContracts;
import java.time.Duration;
import java.util.List;

/** Argument checks every transport shares, so they all fail the same way. */
public final class Checks {
  private Checks() {}

  /**
   * The contract of {@code mode} among those the transport accepts; a mode without one (e.g. {@code
   * xa}, which has no processor) is refused with the list: {@code mode must be one of: tcc, saga
   * (was xa)}.
   */
  public static ModeContract require(ModeContracts accepted, Mode mode) {
    return accepted.require(mode);
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
