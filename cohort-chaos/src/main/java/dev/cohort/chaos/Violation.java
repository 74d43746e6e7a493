package dev.cohort.chaos;

import java.util.Objects;

/**
 * One broken invariant.
 *
 * @param invariant the {@link Invariant#name()} that found it
 * @param gid the transaction concerned; null when the violation is about totals, not one gid
 */
public record Violation(String invariant, String gid, String message) {
  public Violation {
    Objects.requireNonNull(invariant, "invariant");
    Objects.requireNonNull(message, "message");
  }

  @Override
  public String toString() {
    return invariant + (gid == null ? "" : " [" + gid + "]") + ": " + message;
  }
}
