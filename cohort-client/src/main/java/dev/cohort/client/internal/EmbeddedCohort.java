package dev.cohort.client.internal;

import dev.cohort.api.Gid;
import dev.cohort.api.GlobalStatus;
import dev.cohort.api.InvalidInputException;
import dev.cohort.api.Mode;
import dev.cohort.client.Branch;
import dev.cohort.client.BranchInfo;
import dev.cohort.client.Cohort;
import dev.cohort.client.Transaction;
import dev.cohort.client.TransactionInfo;
import dev.cohort.client.TransactionRolledBackException;
import dev.cohort.client.http.HttpTarget;
import dev.cohort.coordinator.BranchSpec;
import dev.cohort.coordinator.Coordinator;
import dev.cohort.coordinator.Outcome;
import dev.cohort.coordinator.SagaDefinition;
import dev.cohort.coordinator.TccBuilder;
import dev.cohort.coordinator.TransactionView;
import dev.cohort.coordinator.spi.BranchRecord;
import dev.cohort.coordinator.spi.GlobalRecord;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/** {@link Cohort} over a coordinator in this JVM: each call is the engine's own method. */
public final class EmbeddedCohort implements Cohort {
  private final Coordinator coordinator;

  public EmbeddedCohort(Coordinator coordinator) {
    this.coordinator = coordinator;
  }

  @Override
  public Transaction begin(Mode mode) {
    return begin(mode, null);
  }

  @Override
  public Transaction begin(Mode mode, Duration timeout) {
    Modes.require(mode);
    Outcome opened = coordinator.open(mode, timeout, null);
    return new EmbeddedTransaction(opened.gid(), mode);
  }

  @Override
  public Transaction beginLazily(Mode mode) {
    return beginLazily(mode, null);
  }

  @Override
  public Transaction beginLazily(Mode mode, Duration timeout) {
    return new LazyTransaction(new EngineLane(), mode, timeout, "embedded");
  }

  private static BranchSpec spec(Branch b) {
    return new BranchSpec(b.id(), b.participant(), b.enginePayload(), b.forwardRecovery());
  }

  private static SagaDefinition saga(Duration timeout, List<Branch> steps) {
    SagaDefinition.Builder saga = SagaDefinition.builder();
    if (timeout != null) {
      saga.timeout(timeout);
    }
    for (Branch b : steps) {
      saga.add(
          b.id(),
          b.participant(),
          b.enginePayload(),
          b.forwardRecovery() ? SagaDefinition.Recovery.FORWARD : SagaDefinition.Recovery.BACKWARD);
    }
    return saga.build();
  }

  /** The lazy transaction's calls, straight into the engine. */
  private final class EngineLane implements LazyTransaction.Lane {
    @Override
    public Outcome openWith(Gid gid, Mode mode, Duration timeout, Branch first) {
      return coordinator.open(mode, timeout, gid, spec(first));
    }

    @Override
    public Outcome register(Gid gid, Branch branch) {
      return coordinator.register(gid, spec(branch));
    }

    @Override
    public Outcome submit(Gid gid, Duration timeout, List<Branch> steps) {
      return coordinator.execute(saga(timeout, steps), gid);
    }

    @Override
    public Outcome commitEmpty(Gid gid, Mode mode) {
      return coordinator.commitEmpty(mode, gid);
    }

    @Override
    public Outcome commit(Gid gid) {
      return coordinator.commit(gid);
    }

    @Override
    public Outcome abort(Gid gid) {
      return coordinator.abort(gid);
    }

    @Override
    public void check(Branch branch) {
      // The engine checks participants when the branch reaches it.
    }
  }

  @Override
  public Outcome run(Mode mode, List<Branch> branches) {
    Modes.require(mode);
    Modes.requireBranches(mode, branches);
    if (Mode.TCC.equals(mode)) {
      TccBuilder tcc = coordinator.tcc();
      for (Branch b : branches) {
        tcc.branch(b.id(), b.participant(), b.enginePayload());
      }
      return tcc.execute();
    }
    return coordinator.execute(saga(null, branches));
  }

  @Override
  public Outcome outcome(Gid gid) {
    GlobalRecord g = coordinator.find(Objects.requireNonNull(gid, "gid")).global();
    return new Outcome(g.gid(), g.status(), g.reason());
  }

  @Override
  public TransactionInfo status(Gid gid) {
    TransactionView view = coordinator.find(Objects.requireNonNull(gid, "gid"));
    GlobalRecord g = view.global();
    List<BranchInfo> branches = view.branches().stream().map(EmbeddedCohort::info).toList();
    return new TransactionInfo(
        g.gid(),
        g.mode(),
        g.status(),
        g.reason(),
        g.createdAt(),
        g.updatedAt(),
        g.deadline(),
        g.attempts(),
        branches);
  }

  private static BranchInfo info(BranchRecord b) {
    HttpTarget target = null;
    String payload = b.payload();
    if (HttpTarget.PARTICIPANT.equals(b.participant())) {
      try {
        target = HttpTarget.decode(b.payload());
        payload = target.body();
      } catch (InvalidInputException e) {
        // Logged under "http" by other means: show the raw payload.
      }
    }
    return new BranchInfo(
        b.branchId(),
        b.status(),
        b.participant(),
        target,
        payload,
        b.forward(),
        b.attempts(),
        b.lastError());
  }

  /** Nothing to close: the coordinator belongs to the caller. */
  @Override
  public void close() {}

  private final class EmbeddedTransaction implements Transaction {
    private final Gid gid;
    private final Mode mode;

    EmbeddedTransaction(Gid gid, Mode mode) {
      this.gid = gid;
      this.mode = mode;
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
      Outcome o = coordinator.register(gid, spec(branch));
      if (o.status() != GlobalStatus.OPEN) {
        throw new TransactionRolledBackException(o);
      }
      return this;
    }

    @Override
    public Outcome commit() {
      return coordinator.commit(gid);
    }

    @Override
    public Outcome abort() {
      return coordinator.abort(gid);
    }

    @Override
    public String toString() {
      return "Transaction[" + gid + ", " + mode.code() + ", embedded]";
    }
  }
}
