package dev.cohort.embedded;

import dev.cohort.api.Gid;
import dev.cohort.api.GlobalStatus;
import dev.cohort.api.InvalidInputException;
import dev.cohort.api.Mode;
import dev.cohort.api.Outcome;
import dev.cohort.client.Branch;
import dev.cohort.client.BranchInfo;
import dev.cohort.client.Cohort;
import dev.cohort.client.Transaction;
import dev.cohort.client.TransactionInfo;
import dev.cohort.client.TransactionRolledBackException;
import dev.cohort.client.spi.Checks;
import dev.cohort.client.spi.LazyTransaction;
import dev.cohort.coordinator.BranchSpec;
import dev.cohort.coordinator.Coordinator;
import dev.cohort.coordinator.TransactionView;
import dev.cohort.coordinator.http.HttpParticipant;
import dev.cohort.coordinator.spi.BranchRecord;
import dev.cohort.coordinator.spi.GlobalRecord;
import dev.cohort.protocol.HttpTarget;
import dev.cohort.protocol.ModeContract;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * {@link Cohort} over a coordinator in this JVM: each call is the engine's own method, and the API
 * is the one {@code Cohort.connect} gives over HTTP.
 *
 * <pre>{@code
 * Coordinator coordinator = Coordinator.builder(JdbcTransactionStore.sqlite(path)).build();
 * try (Cohort cohort = EmbeddedCohort.start(coordinator, HttpParticipant.builder().build())) {
 *   Outcome outcome = cohort.run(Mode.TCC, List.of(Branch.tcc("stock", tryUrl, confirmUrl, cancelUrl, body)));
 * }
 * }</pre>
 */
public final class EmbeddedCohort implements Cohort {
  private final Coordinator coordinator;

  private EmbeddedCohort(Coordinator coordinator) {
    this.coordinator = coordinator;
  }

  /**
   * Uses an embedded coordinator as it is. HTTP branches ({@link Branch#tcc}, {@link Branch#saga})
   * need an {@link HttpParticipant} registered under {@link HttpTarget#PARTICIPANT} for TCC and
   * sagas <em>before</em> the coordinator was started (recovery finds participants by name), or use
   * {@link #start(Coordinator, HttpParticipant)}, which does that. {@link #close()} closes nothing:
   * the coordinator stays the caller's.
   */
  public static Cohort of(Coordinator coordinator) {
    return new EmbeddedCohort(Objects.requireNonNull(coordinator, "coordinator"));
  }

  /**
   * Registers {@code http} under {@link HttpTarget#PARTICIPANT} (TCC and saga) on a coordinator
   * that has <em>not</em> been started yet, then starts it. Registration must precede {@code
   * start()}, because recovery at start calls the participants of unfinished transactions; a
   * started coordinator is refused with {@link IllegalStateException}.
   */
  public static Cohort start(Coordinator coordinator, HttpParticipant http) {
    Objects.requireNonNull(coordinator, "coordinator");
    Objects.requireNonNull(http, "http");
    coordinator
        .registerTcc(HttpTarget.PARTICIPANT, http)
        .registerSagaStep(HttpTarget.PARTICIPANT, http);
    try {
      coordinator.start();
    } catch (IllegalStateException e) {
      throw new IllegalStateException(
          "EmbeddedCohort.start(coordinator, http) starts the coordinator itself, but it was"
              + " already started; register the HttpParticipant before start() and use"
              + " EmbeddedCohort.of(coordinator)",
          e);
    }
    return new EmbeddedCohort(coordinator);
  }

  @Override
  public Transaction begin(Mode mode) {
    return begin(mode, null);
  }

  @Override
  public Transaction begin(Mode mode, Duration timeout) {
    return begin(mode, null, timeout);
  }

  @Override
  public Transaction begin(Mode mode, Gid gid, Duration timeout) {
    var unused = contract(mode);
    Outcome opened = coordinator.open(mode, timeout, gid);
    return new EmbeddedTransaction(opened.gid(), mode);
  }

  @Override
  public Transaction beginLazily(Mode mode) {
    return beginLazily(mode, null);
  }

  @Override
  public Transaction beginLazily(Mode mode, Duration timeout) {
    return new LazyTransaction(new EngineLane(mode), contract(mode), timeout, "embedded");
  }

  /**
   * The client contract of {@code mode} as the coordinator's processor gives it: every mode this
   * coordinator runs, built in or plugged in, whose processor has one; any other is refused with
   * the list of those that have one.
   */
  private ModeContract contract(Mode mode) {
    return Checks.require(coordinator.contracts(), mode);
  }

  private static List<BranchSpec> specs(List<Branch> branches) {
    return branches.stream().map(EmbeddedCohort::spec).toList();
  }

  private static BranchSpec spec(Branch b) {
    return new BranchSpec(b.id(), b.participant(), b.enginePayload(), b.forwardRecovery());
  }

  /** One lazy transaction's calls, straight into the engine. */
  private final class EngineLane implements LazyTransaction.Lane {
    private final Mode mode;

    EngineLane(Mode mode) {
      this.mode = mode;
    }

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
      return coordinator.run(mode, timeout, gid, specs(steps));
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
    var unused = contract(mode);
    Checks.requireBranches(mode, branches);
    return coordinator.run(mode, null, null, specs(branches));
  }

  @Override
  public Outcome runPresumingAbort(List<Branch> tccBranches) {
    var unused = contract(Mode.TCC);
    Checks.requireBranches(Mode.TCC, tccBranches);
    return coordinator.run(Mode.TCC, null, null, specs(tccBranches), false, true);
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
