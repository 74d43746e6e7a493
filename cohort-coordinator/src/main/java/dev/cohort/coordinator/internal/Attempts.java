package dev.cohort.coordinator.internal;

import dev.cohort.api.BranchContext;
import dev.cohort.api.BranchStatus;
import dev.cohort.api.ParticipantRefusedException;
import dev.cohort.coordinator.http.ParticipantCallException;
import dev.cohort.coordinator.spi.AttemptRecord;
import dev.cohort.coordinator.spi.AttemptRecord.Outcome;
import dev.cohort.coordinator.spi.BranchRecord;
import dev.cohort.coordinator.spi.LogUnit.RecordAttempt;
import java.time.Duration;
import java.time.Instant;

/** Builds the attempt-history entry of one call, written with the call's result. */
final class Attempts {
  private Attempts() {}

  /**
   * @param done the status the call moves the branch to, which names the operation
   * @param started {@link System#nanoTime()} before the call: a duration, not a time of day
   * @param failure null when the call succeeded
   */
  static RecordAttempt record(
      BranchRecord branch,
      BranchStatus done,
      BranchContext context,
      Instant at,
      long started,
      Throwable failure,
      String error) {
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    Outcome outcome =
        failure == null
            ? Outcome.SUCCEEDED
            : failure instanceof ParticipantRefusedException ? Outcome.REFUSED : Outcome.FAILED;
    return new RecordAttempt(
        new AttemptRecord(
            branch.gid(),
            branch.branchId(),
            operation(done),
            context.attempt(),
            at,
            took,
            outcome,
            httpStatus(failure),
            error));
  }

  /** The participant's HTTP answer behind a failure (a refusal carries its 409 as the cause). */
  private static int httpStatus(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof ParticipantCallException call) {
        return call.status();
      }
    }
    return -1;
  }

  /** A TCC try: the operation is named "try", whatever status its success leads to. */
  static RecordAttempt tried(
      BranchRecord branch,
      BranchContext context,
      Instant at,
      long started,
      Throwable failure,
      String error) {
    RecordAttempt r = record(branch, BranchStatus.SUCCEEDED, context, at, started, failure, error);
    AttemptRecord a = r.attempt();
    return new RecordAttempt(
        new AttemptRecord(
            a.gid(),
            a.branchId(),
            "try",
            a.attempt(),
            a.at(),
            a.took(),
            a.outcome(),
            a.httpStatus(),
            a.error()));
  }

  /** The operation whose success moves a branch to {@code done}. */
  static String operation(BranchStatus done) {
    return switch (done) {
      case CONFIRMED -> "confirm";
      case CANCELLED -> "cancel";
      case COMPENSATED -> "compensate";
      case SUCCEEDED -> "action";
      default -> done.code();
    };
  }
}
