package dev.cohort.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StatusTransitionsTest {
  private static final Gid GID = Gid.of("g-1");
  private static final BranchId BRANCH = BranchId.of("b-1");

  @Test
  void everyLegalGlobalTransitionReturnsTheTarget() {
    for (List<GlobalStatus> t : GlobalStatus.legalTransitions()) {
      assertThat(t.get(0).transition(GID, t.get(1))).isEqualTo(t.get(1));
    }
  }

  @Test
  void everyIllegalGlobalTransitionThrowsNamingGidFromAndTo() {
    for (GlobalStatus from : GlobalStatus.values()) {
      for (GlobalStatus to : GlobalStatus.values()) {
        if (from.canTransitionTo(to)) {
          continue;
        }
        assertThatThrownBy(() -> from.transition(GID, to))
            .isInstanceOf(IllegalTransitionException.class)
            .hasMessageContaining("g-1")
            .hasMessageContaining(from.code())
            .hasMessageContaining(to.code());
      }
    }
  }

  @Test
  void terminalStatusesSaySo() {
    assertThatThrownBy(() -> GlobalStatus.COMMITTED.transition(GID, GlobalStatus.BEGUN))
        .hasMessage("transaction g-1 cannot move from committed to begun; committed is terminal");
    assertThat(GlobalStatus.RESOLVED.isTerminal()).isTrue();
    assertThat(GlobalStatus.FAILED.isTerminal()).isFalse();
  }

  @Test
  void everyBranchTransitionFollowsTheTable() {
    for (BranchStatus from : BranchStatus.values()) {
      for (BranchStatus to : BranchStatus.values()) {
        if (from.canTransitionTo(to)) {
          assertThat(from.transition(GID, BRANCH, to)).isEqualTo(to);
        } else {
          assertThatThrownBy(() -> from.transition(GID, BRANCH, to))
              .isInstanceOf(IllegalTransitionException.class)
              .hasMessageContaining("branch b-1 of transaction g-1")
              .hasMessageContaining(from.code() + " to " + to.code());
        }
      }
    }
  }

  @Test
  void codesAreReadableUniqueAndRoundTrip() {
    Set<String> seen = new HashSet<>();
    for (GlobalStatus s : GlobalStatus.values()) {
      assertThat(s.code()).matches("[a-z_]+");
      assertThat(seen.add(s.code())).isTrue();
      assertThat(GlobalStatus.fromCode(s.code())).isEqualTo(s);
    }
    for (BranchStatus s : BranchStatus.values()) {
      assertThat(BranchStatus.fromCode(s.code())).isEqualTo(s);
    }
    for (Mode m : Mode.named()) {
      assertThat(Mode.fromCode(m.code())).isSameAs(m);
    }
    assertThatThrownBy(() -> GlobalStatus.fromCode("2"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("'2'");
  }

  @Test
  void aModeBeyondTheNamedOnesIsAValueWithAWellFormedCode() {
    assertThat(Mode.fromCode("notify")).isEqualTo(Mode.fromCode("notify"));
    assertThat(Mode.fromCode("notify")).hasSameHashCodeAs(Mode.fromCode("notify"));
    assertThat(Mode.fromCode("notify")).isNotEqualTo(Mode.TCC);
    assertThat(Mode.fromCode("best-effort-2").code()).isEqualTo("best-effort-2");
    for (String bad : new String[] {"", "TCC", "a b", "x".repeat(17), "-x"}) {
      assertThatThrownBy(() -> Mode.fromCode(bad))
          .isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("'" + bad + "'")
          .hasMessageContaining("lower-case letters");
    }
    assertThatThrownBy(() -> Mode.fromCode(null)).hasMessageContaining("'null'");
  }

  @Test
  void idsRejectBadInputWithTheReason() {
    assertThatThrownBy(() -> Gid.of("")).hasMessageContaining("gid must not be empty");
    assertThatThrownBy(() -> Gid.of("a b")).hasMessageContaining("'a b' contains characters");
    assertThatThrownBy(() -> BranchId.of("x".repeat(200))).hasMessageContaining("200 characters");
    assertThat(Gid.random().value()).hasSize(32);
  }
}
