package dev.cohort.client.spi;

import dev.cohort.api.BranchId;
import dev.cohort.api.DuplicateBranchException;
import dev.cohort.api.Gid;
import dev.cohort.api.GlobalStatus;
import dev.cohort.api.IllegalOperationException;
import dev.cohort.api.Mode;
import dev.cohort.api.Outcome;
import dev.cohort.api.UnknownTransactionException;
import dev.cohort.client.Branch;
import dev.cohort.client.Transaction;
import dev.cohort.client.TransactionRolledBackException;
import dev.cohort.protocol.ModeContract;
import dev.cohort.protocol.ModeContracts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A transaction the coordinator hears of only with its first register, commit or abort ({@link
 * dev.cohort.client.Cohort#beginLazily}): one round trip and one durable write fewer. What a
 * register does follows the mode's {@link ModeContract}: a branch that runs at once (a TCC try)
 * goes out when it is registered; branches that wait for the commit anyway (saga steps) are kept
 * here and submitted with the commit in one call. Every call that may create the transaction joins
 * it when the gid already exists, so repeating one after a lost answer is safe.
 */
public final class LazyTransaction implements Transaction {
  /** What a transport does for a lazily begun transaction. */
  public interface Lane {
    /**
     * Creates the transaction with {@code first} (run at once where the mode does so, e.g. a TCC
     * try) or joins it if it exists.
     */
    Outcome openWith(Gid gid, Mode mode, Duration timeout, Branch first);

    Outcome register(Gid gid, Branch branch);

    /**
     * The transaction with all the branches kept until the commit (a mode whose branches wait for
     * the commit, e.g. a saga), created and run in one call. A lane serves one transaction, so it
     * knows the mode.
     */
    Outcome submit(Gid gid, Duration timeout, List<Branch> steps);

    /** Records the transaction as committed without branches, or commits it if it exists. */
    Outcome commitEmpty(Gid gid, Mode mode);

    Outcome commit(Gid gid);

    Outcome abort(Gid gid);

    /** Fails now for a branch this transport could never send (e.g. in-process over HTTP). */
    void check(Branch branch);
  }

  private final Lane lane;
  private final Gid gid;
  private final Mode mode;
  private final ModeContract contract;
  private final Duration timeout;
  private final String where;
  private final List<Branch> steps = new ArrayList<>();
  private final Set<BranchId> stepIds = new HashSet<>();

  /** The coordinator has the transaction. */
  private boolean known;

  /** A call that may have created it went out, answered or not. */
  private boolean attempted;

  /** Set when it was aborted before anything reached the coordinator. */
  private Outcome abortedLocally;

  /** A lazy transaction of one of the built-in modes ({@link ModeContracts#builtIn()}). */
  public LazyTransaction(Lane lane, Mode mode, Duration timeout, String where) {
    this(lane, Checks.require(ModeContracts.builtIn(), mode), timeout, where);
  }

  /**
   * A lazy transaction of {@code contract}'s mode; a transport gets the contract from the modes it
   * accepts ({@link Checks#require(ModeContracts, Mode)}).
   */
  public LazyTransaction(Lane lane, ModeContract contract, Duration timeout, String where) {
    Objects.requireNonNull(contract, "contract");
    Checks.requireTimeout(timeout);
    this.lane = lane;
    this.gid = Gid.random();
    this.mode = contract.mode();
    this.contract = contract;
    this.timeout = timeout;
    this.where = where;
  }

  @Override
  public Gid gid() {
    return gid;
  }

  @Override
  public Mode mode() {
    return mode;
  }

  @Override
  public Transaction register(Branch branch) {
    Objects.requireNonNull(branch, "branch");
    branch.requireMode(mode);
    lane.check(branch);
    requireNotAborted("register a branch");
    if (known) {
      return registered(lane.register(gid, branch));
    }
    if (contract.buffersUntilCommit()) {
      if (attempted) {
        // A submit went out and its answer was lost: the branches may be running already, and a
        // branch added now would be silently left out of them.
        throw new IllegalStateException(
            "the commit of "
                + gid
                + " was sent but not answered; call commit() again to learn its outcome instead"
                + " of adding branches");
      }
      if (!stepIds.add(branch.id())) {
        throw new DuplicateBranchException(gid, branch.id());
      }
      steps.add(branch);
      return this;
    }
    attempted = true;
    Outcome opened;
    try {
      opened = lane.openWith(gid, mode, timeout, branch);
    } catch (TransactionRolledBackException e) {
      known = true;
      throw e;
    }
    known = true;
    return registered(opened);
  }

  private Transaction registered(Outcome outcome) {
    if (outcome.status() != GlobalStatus.OPEN) {
      throw new TransactionRolledBackException(outcome);
    }
    return this;
  }

  @Override
  public Outcome commit() {
    requireNotAborted("commit");
    if (known) {
      return lane.commit(gid);
    }
    if (steps.isEmpty()) {
      attempted = true;
      Outcome committed = lane.commitEmpty(gid, mode);
      known = true;
      return committed;
    }
    if (attempted) {
      // An earlier submit may have arrived without its answer: ask before sending it again.
      try {
        Outcome outcome = lane.commit(gid);
        known = true;
        return outcome;
      } catch (UnknownTransactionException e) {
        // It never arrived; send it now.
      }
    }
    attempted = true;
    Outcome outcome = lane.submit(gid, timeout, List.copyOf(steps));
    known = true;
    return outcome;
  }

  @Override
  public Outcome abort() {
    if (abortedLocally != null) {
      return abortedLocally;
    }
    if (known || attempted) {
      try {
        return lane.abort(gid);
      } catch (UnknownTransactionException e) {
        // Nothing reached the coordinator.
      }
    }
    steps.clear();
    abortedLocally =
        new Outcome(
            gid,
            GlobalStatus.ROLLED_BACK,
            "aborted by the client before anything reached the coordinator");
    return abortedLocally;
  }

  private void requireNotAborted(String what) {
    if (abortedLocally != null) {
      throw new IllegalOperationException(
          gid, GlobalStatus.ROLLED_BACK, "it was aborted, so it cannot " + what);
    }
  }

  @Override
  public String toString() {
    return "Transaction[" + gid + ", " + mode.code() + ", lazy, " + where + "]";
  }
}
