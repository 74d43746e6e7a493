package dev.cohort.participant;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cohort.protocol.v1.ParticipantOutcome;
import dev.cohort.testing.time.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HeldBranchResolverTest {
  private static final Instant START = Instant.parse("2026-12-01T10:00:00Z");

  private final MutableClock clock = new MutableClock(START);
  private final List<HeldBranch> held = new ArrayList<>();
  private final List<String> applied = new ArrayList<>();

  private final BranchSettler settler =
      new BranchSettler() {
        @Override
        public BarrierResult confirm(HeldBranch b) {
          applied.add("confirm " + b.gid());
          held.remove(b);
          return BarrierResult.APPLIED;
        }

        @Override
        public BarrierResult cancel(HeldBranch b) {
          applied.add("cancel " + b.gid());
          held.remove(b);
          return BarrierResult.APPLIED;
        }
      };

  private HeldBranchResolver resolver(Map<String, ParticipantOutcome> answers) {
    return HeldBranchResolver.builder(
            (cutoff, limit) ->
                held.stream().filter(b -> b.heldSince().isBefore(cutoff)).limit(limit).toList(),
            gid -> answers.get(gid),
            settler)
        .clock(clock)
        .holdThreshold(Duration.ofSeconds(30))
        .build();
  }

  @Test
  void aBranchHeldPastTheThresholdIsSettledAsTheCoordinatorDecided() {
    held.add(new HeldBranch("g-commit", "pay", "{}", START));
    held.add(new HeldBranch("g-rollback", "pay", "{}", START));
    HeldBranchResolver resolver =
        resolver(
            Map.of(
                "g-commit", new ParticipantOutcome("g-commit", "committing", "commit", false),
                "g-rollback", new ParticipantOutcome("g-rollback", "aborting", "rollback", false)));

    assertThat(resolver.resolveOnce().asked()).as("not held long enough yet").isZero();

    clock.advance(Duration.ofSeconds(31));
    HeldBranchResolver.Round round = resolver.resolveOnce();

    assertThat(round.confirmed()).isEqualTo(1);
    assertThat(round.cancelled()).isEqualTo(1);
    assertThat(applied).containsExactly("confirm g-commit", "cancel g-rollback");
    assertThat(held).isEmpty();
  }

  @Test
  void anUndecidedOrUnreachableTransactionIsLeftHeldAndAskedAgain() {
    held.add(new HeldBranch("g-open", "pay", "{}", START));
    held.add(new HeldBranch("g-down", "pay", "{}", START));
    HeldBranchResolver resolver =
        HeldBranchResolver.builder(
                (cutoff, limit) -> List.copyOf(held),
                gid -> {
                  if (gid.equals("g-down")) {
                    throw new IllegalStateException("coordinator unreachable");
                  }
                  return new ParticipantOutcome(gid, "open", null, false);
                },
                settler)
            .clock(clock)
            .build();

    HeldBranchResolver.Round round = resolver.resolveOnce();

    assertThat(round.undecided()).isEqualTo(1);
    assertThat(round.failed()).isEqualTo(1);
    assertThat(round.settled()).isZero();
    assertThat(held).hasSize(2);
  }
}
