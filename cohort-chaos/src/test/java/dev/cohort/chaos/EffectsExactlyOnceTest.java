package dev.cohort.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class EffectsExactlyOnceTest {
  private static Purchase tcc(String gid, String status) {
    return new Purchase(gid, "tcc", true, PurchaseOutcome.FAILED, "x", status);
  }

  private static List<Violation> check(List<Purchase> purchases, Effect... effects)
      throws Exception {
    return Invariants.effectsExactlyOnce(() -> List.of(effects)).check(new RunRecord(purchases));
  }

  @Test
  void aCommittedAndARolledBackTransactionEachSettledOnceHold() throws Exception {
    assertThat(
            check(
                List.of(tcc("g1", "committed"), tcc("g2", "rolled_back")),
                new Effect("g1", "a", "try"),
                new Effect("g1", "a", "confirm"),
                new Effect("g2", "a", "try"),
                new Effect("g2", "a", "cancel")))
        .isEmpty();
  }

  @Test
  void aCancelAppliedTwiceIsNamedWithItsGidAndBranch() throws Exception {
    List<Violation> found =
        check(
            List.of(tcc("g2", "rolled_back")),
            new Effect("g2", "a", "try"),
            new Effect("g2", "a", "cancel"),
            new Effect("g2", "a", "cancel"));

    assertThat(found)
        .singleElement()
        .satisfies(v -> {
          assertThat(v.invariant()).isEqualTo(Invariants.EXACTLY_ONCE);
          assertThat(v.gid()).isEqualTo("g2");
          assertThat(v.message()).isEqualTo("branch a: cancel applied 2 times");
        });
  }

  @Test
  void confirmingARolledBackTransactionOrUndoingNothingIsCaught() throws Exception {
    List<Violation> found =
        check(
            List.of(tcc("g3", "rolled_back"), tcc("g4", "rolled_back"), tcc("g5", "committed")),
            new Effect("g3", "a", "try"),
            new Effect("g3", "a", "confirm"),
            new Effect("g3", "a", "cancel"),
            new Effect("g4", "b", "cancel"),
            new Effect("g5", "a", "try"));

    assertThat(found)
        .extracting(Violation::toString)
        .containsExactlyInAnyOrder(
            "effects-exactly-once [g3]: branch a: rolled back, but confirmed",
            "effects-exactly-once [g4]: branch b: undone, but nothing had been applied to undo",
            "effects-exactly-once [g5]: branch a: committed, but its try was never confirmed");
  }

  @Test
  void effectsOfAGidTheCoordinatorNeverLoggedAreCaught() throws Exception {
    assertThat(check(List.of(tcc("g6", null)), new Effect("g6", "a", "action")))
        .singleElement()
        .extracting(Violation::message)
        .asString()
        .contains("never logged");
  }
}
