package dev.cohort.coordinator.spi;

import dev.cohort.api.BranchStatus;
import dev.cohort.api.Gid;
import dev.cohort.api.GlobalStatus;
import java.util.List;

/**
 * One atomic, durable change to the log. The {@link Guard} decides whether the unit applies: an
 * insert of a new transaction, or a compare-and-set of the global row on its status. When the guard
 * misses, nothing of the unit is written and the store reports {@link WriteResult#CONFLICT} (or
 * {@link WriteResult#DUPLICATE}). Branch writes are compare-and-set too, but a miss there is not an
 * error: it means the branch had already moved on.
 */
public record LogUnit(Guard guard, List<BranchWrite> branchWrites) {
  public LogUnit {
    branchWrites = List.copyOf(branchWrites);
  }

  public Gid gid() {
    return switch (guard) {
      case Insert insert -> insert.global().gid();
      case Cas cas -> cas.updated().gid();
    };
  }

  /** Decides whether the unit applies. */
  public sealed interface Guard permits Insert, Cas {}

  /** A new transaction with all its branches. */
  public record Insert(GlobalRecord global, List<BranchRecord> branches) implements Guard {
    public Insert {
      branches = List.copyOf(branches);
    }
  }

  /**
   * {@code UPDATE global SET <updated> WHERE gid = :gid AND status = :expected [AND attempts =
   * :expectedAttempts]}. An OPEN transaction counts its registrations in {@code attempts}, so
   * pinning it makes a commit or abort miss when a branch joined after the transaction was read.
   *
   * @param expectedAttempts the attempts the row must still have, or {@link #ANY_ATTEMPTS}
   */
  public record Cas(GlobalStatus expected, GlobalRecord updated, int expectedAttempts)
      implements Guard {
    public static final int ANY_ATTEMPTS = -1;

    public Cas(GlobalStatus expected, GlobalRecord updated) {
      this(expected, updated, ANY_ATTEMPTS);
    }

    /** Whether a row with {@code status} and {@code attempts} passes this guard. */
    public boolean holdsFor(GlobalStatus status, int attempts) {
      return status == expected && (expectedAttempts < 0 || attempts == expectedAttempts);
    }
  }

  /** A change to branches of the guarded transaction. */
  public sealed interface BranchWrite
      permits UpdateBranch, AdvanceBranches, InsertBranch, RecordAttempt {}

  /** One branch row replaced if its status is still {@code expected}. */
  public record UpdateBranch(BranchStatus expected, BranchRecord updated) implements BranchWrite {}

  /** Every branch of {@code gid} in status {@code from} moves to {@code to}: one statement. */
  public record AdvanceBranches(Gid gid, BranchStatus from, BranchStatus to)
      implements BranchWrite {}

  /**
   * A branch added to a transaction that is still open; written only when the guard holds. The
   * branch id must be new in the transaction (the engine checks before it writes).
   */
  public record InsertBranch(BranchRecord branch) implements BranchWrite {}

  /**
   * One call made to a branch, kept in the attempt history. Carried by the unit that records the
   * call's result, so the history costs no write of its own; written only when the guard holds.
   */
  public record RecordAttempt(AttemptRecord attempt) implements BranchWrite {}
}
