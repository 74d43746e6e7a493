package dev.cohort.participant;

import dev.cohort.protocol.Operation;

/**
 * The database aborted the local transaction because of a concurrent one (deadlock victim,
 * serialization failure, lock wait timeout, SQLite busy) and the barrier's own retries ran out, or
 * the transaction belonged to the caller so only the caller can retry it. Nothing was applied;
 * calling again is safe and is the fix.
 */
public final class BarrierConflictException extends BarrierException {
  private final int attempts;

  public BarrierConflictException(
      String message, String gid, String branchId, Operation op, int attempts, Throwable cause) {
    super(message + " after " + attempts + " attempt(s); retry the call", gid, branchId, op, cause);
    this.attempts = attempts;
  }

  public int attempts() {
    return attempts;
  }

  @Override
  public boolean retryable() {
    return true;
  }
}
