package dev.cohort.coordinator;

import dev.cohort.api.Mode;
import dev.cohort.coordinator.internal.CommitProcessors;
import dev.cohort.coordinator.mode.ModeProcessorFactory;
import dev.cohort.coordinator.mode.ParticipantKind;

/**
 * Two-phase (XA) and three-phase commit across services, as plug-in modes beside TCC and saga:
 *
 * <pre>{@code
 * Coordinator coordinator = Coordinator.builder(store)
 *     .mode(CommitModes.twoPhase())
 *     .mode(CommitModes.threePhase())
 *     .build()
 *     .registerParticipant(CommitModes.XA, "ledger", ledger)          // an XaParticipant
 *     .registerParticipant(CommitModes.THREE_PC, "stock", stock)      // a ThreePcParticipant
 *     .start();
 * }</pre>
 *
 * HTTP participants are reached through {@code HttpParticipant}, registered under {@code
 * HttpTarget.PARTICIPANT} for both kinds. docs/xa-and-3pc.md says when to use which.
 */
public final class CommitModes {
  /** The participants of {@code Mode.XA} transactions. */
  public static final ParticipantKind<XaParticipant> XA =
      new ParticipantKind<>(Mode.XA, XaParticipant.class, "XA participant");

  /** The participants of {@code Mode.THREE_PC} transactions. */
  public static final ParticipantKind<ThreePcParticipant> THREE_PC =
      new ParticipantKind<>(Mode.THREE_PC, ThreePcParticipant.class, "3PC participant");

  private CommitModes() {}

  /**
   * Two-phase commit: prepare every branch (concurrently when the transaction is parallel); all
   * voted yes → the commit decision is logged, then commits are delivered with the engine's
   * retries; a no vote, a failed prepare or the deadline → the rollback decision is logged, then
   * rollbacks. Presumed abort: a transaction the log holds undecided after a crash is rolled back.
   */
  public static ModeProcessorFactory twoPhase() {
    return ctx -> CommitProcessors.twoPhase(ctx, XA);
  }

  /**
   * Three-phase commit: can-commit votes (nothing locked) → the pre-commit decision is logged →
   * pre-commit (work done and held) → all acknowledged: the commit decision is logged and do-commit
   * delivered; a no vote or a missing acknowledgement → abort. A transaction the log holds with its
   * pre-commit decision after a crash is committed (its participants commit on their own timeout
   * anyway); one without it is aborted.
   */
  public static ModeProcessorFactory threePhase() {
    return ctx -> CommitProcessors.threePhase(ctx, THREE_PC);
  }
}
