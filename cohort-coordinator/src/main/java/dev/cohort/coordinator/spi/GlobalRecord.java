package dev.cohort.coordinator.spi;

import dev.cohort.api.Gid;
import dev.cohort.api.GlobalStatus;
import dev.cohort.api.Mode;
import java.time.Instant;

/**
 * One global transaction as the log holds it. Made with the named factories ({@link #planned},
 * {@link #opened}, {@link #fromLog}) and changed with the {@code with...} methods.
 *
 * @param resumeStatus for FAILED: the status an operator's retry returns to; otherwise null
 * @param parallel whether tries (or phase-two calls) may run concurrently
 * @param deadline after it, a try phase (or backward saga step) is rolled back
 * @param nextAttemptAt when recovery or the retry poller should next look at it
 * @param attempts phase-two (or forward step) delivery rounds that failed so far
 * @param phaseStartedAt when the current delivery phase began; the retry window counts from it
 * @param owner node id of the engine holding the lease
 * @param leaseUntil other engines leave the transaction alone until then
 * @param reason why it rolled back, failed or was resolved; null otherwise
 */
public record GlobalRecord(
    Gid gid,
    Mode mode,
    GlobalStatus status,
    GlobalStatus resumeStatus,
    boolean parallel,
    Instant deadline,
    Instant nextAttemptAt,
    int attempts,
    Instant phaseStartedAt,
    String owner,
    Instant leaseUntil,
    String reason,
    Instant createdAt,
    Instant updatedAt) {

  /**
   * A transaction begun in one call with all its branches ({@code begun}): {@code owner} holds it
   * until {@code leaseUntil} (renewed while it drives it), and it is due then, not before.
   */
  public static GlobalRecord planned(
      Gid gid,
      Mode mode,
      boolean parallel,
      Instant deadline,
      String owner,
      Instant leaseUntil,
      Instant now) {
    return new GlobalRecord(
        gid,
        mode,
        GlobalStatus.BEGUN,
        null,
        parallel,
        deadline,
        leaseUntil,
        0,
        null,
        owner,
        leaseUntil,
        null,
        now,
        now);
  }

  /**
   * An {@code open} transaction that branches are registered into one at a time: its deadline is
   * also its lease and its first due time, so no poller looks at it before.
   *
   * @param registrations branches written with it; an open transaction counts them in {@code
   *     attempts}, which every write from {@code open} pins
   */
  public static GlobalRecord opened(
      Gid gid, Mode mode, String owner, Instant deadline, int registrations, Instant now) {
    return new GlobalRecord(
        gid,
        mode,
        GlobalStatus.OPEN,
        null,
        false,
        deadline,
        deadline,
        registrations,
        null,
        owner,
        deadline,
        null,
        now,
        now);
  }

  /** Every field as a log stored it: how a store decodes a row. */
  public static GlobalRecord fromLog(
      Gid gid,
      Mode mode,
      GlobalStatus status,
      GlobalStatus resumeStatus,
      boolean parallel,
      Instant deadline,
      Instant nextAttemptAt,
      int attempts,
      Instant phaseStartedAt,
      String owner,
      Instant leaseUntil,
      String reason,
      Instant createdAt,
      Instant updatedAt) {
    return new GlobalRecord(
        gid,
        mode,
        status,
        resumeStatus,
        parallel,
        deadline,
        nextAttemptAt,
        attempts,
        phaseStartedAt,
        owner,
        leaseUntil,
        reason,
        createdAt,
        updatedAt);
  }

  /** This record with a new status; the caller has checked the transition. */
  public GlobalRecord withStatus(GlobalStatus newStatus, Instant now) {
    return new GlobalRecord(
        gid,
        mode,
        newStatus,
        resumeStatus,
        parallel,
        deadline,
        nextAttemptAt,
        attempts,
        phaseStartedAt,
        owner,
        leaseUntil,
        reason,
        createdAt,
        now);
  }

  public GlobalRecord withSchedule(Instant next, Instant lease, int newAttempts) {
    return new GlobalRecord(
        gid,
        mode,
        status,
        resumeStatus,
        parallel,
        deadline,
        next,
        newAttempts,
        phaseStartedAt,
        owner,
        lease,
        reason,
        createdAt,
        updatedAt);
  }

  public GlobalRecord withPhase(Instant started, GlobalStatus resume, String newReason) {
    return new GlobalRecord(
        gid,
        mode,
        status,
        resume,
        parallel,
        deadline,
        nextAttemptAt,
        attempts,
        started,
        owner,
        leaseUntil,
        newReason,
        createdAt,
        updatedAt);
  }

  public GlobalRecord withOwner(String newOwner, Instant lease) {
    return new GlobalRecord(
        gid,
        mode,
        status,
        resumeStatus,
        parallel,
        deadline,
        nextAttemptAt,
        attempts,
        phaseStartedAt,
        newOwner,
        lease,
        reason,
        createdAt,
        updatedAt);
  }
}
