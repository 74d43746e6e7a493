package dev.cohort.coordinator.spi;

import dev.cohort.api.BranchId;
import dev.cohort.api.Gid;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One call the coordinator made to a branch, for operators: the log keeps the last few per branch
 * and operation (docs/console.md, "Attempts").
 *
 * @param operation confirm, cancel, compensate, action, ...
 * @param attempt the call's number within its operation, from 1 (what the participant was told)
 * @param at when the call started
 * @param took how long the call took until it answered or failed
 * @param httpStatus the participant's HTTP status, or -1 when it did not answer over HTTP
 * @param error what went wrong; null when it succeeded
 */
public record AttemptRecord(
    Gid gid,
    BranchId branchId,
    String operation,
    int attempt,
    Instant at,
    Duration took,
    Outcome outcome,
    int httpStatus,
    String error) {

  public AttemptRecord {
    Objects.requireNonNull(gid, "gid");
    Objects.requireNonNull(branchId, "branchId");
    Objects.requireNonNull(operation, "operation");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(took, "took");
    Objects.requireNonNull(outcome, "outcome");
    if (attempt < 1) {
      throw new IllegalArgumentException("attempt numbers start at 1; was " + attempt);
    }
  }

  /** How a call ended. A fact about one call, never changed once written, so it has no moves. */
  public enum Outcome {
    /** The participant did what was asked. */
    SUCCEEDED("succeeded"),
    /** It failed in a way that may pass (error, timeout, no answer); the call is retried. */
    FAILED("failed"),
    /** The participant said no. */
    REFUSED("refused");

    private final String code;

    Outcome(String code) {
      this.code = code;
    }

    public String code() {
      return code;
    }

    public static Outcome fromCode(String code) {
      for (Outcome o : values()) {
        if (o.code.equals(code)) {
          return o;
        }
      }
      throw new IllegalArgumentException(
          "unknown attempt outcome '" + code + "'; expected succeeded, failed or refused");
    }
  }
}
