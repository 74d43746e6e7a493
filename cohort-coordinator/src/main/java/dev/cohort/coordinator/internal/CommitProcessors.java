package dev.cohort.coordinator.internal;

import dev.cohort.coordinator.ThreePcParticipant;
import dev.cohort.coordinator.XaParticipant;
import dev.cohort.coordinator.mode.ModeContext;
import dev.cohort.coordinator.mode.ModeProcessor;
import dev.cohort.coordinator.mode.ParticipantKind;

/** Creates the two- and three-phase commit processors for {@code CommitModes}. */
public final class CommitProcessors {
  private CommitProcessors() {}

  public static ModeProcessor twoPhase(ModeContext ctx, ParticipantKind<XaParticipant> kind) {
    return new XaProcessor(ctx, kind);
  }

  public static ModeProcessor threePhase(
      ModeContext ctx, ParticipantKind<ThreePcParticipant> kind) {
    return new ThreePcProcessor(ctx, kind);
  }
}
