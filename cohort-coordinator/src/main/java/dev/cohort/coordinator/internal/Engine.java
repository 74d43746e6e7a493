package dev.cohort.coordinator.internal;

import dev.cohort.api.BranchId;
import dev.cohort.api.BranchStatus;
import dev.cohort.api.DuplicateBranchException;
import dev.cohort.api.DuplicateTransactionException;
import dev.cohort.api.Gid;
import dev.cohort.api.GlobalStatus;
import dev.cohort.api.IllegalOperationException;
import dev.cohort.api.InvalidDefinitionException;
import dev.cohort.api.InvalidInputException;
import dev.cohort.api.Mode;
import dev.cohort.api.Outcome;
import dev.cohort.api.Scheduler;
import dev.cohort.api.UnknownTransactionException;
import dev.cohort.coordinator.BranchSpec;
import dev.cohort.coordinator.CoordinatorListener;
import dev.cohort.coordinator.CoordinatorOptions;
import dev.cohort.coordinator.TransactionQuery;
import dev.cohort.coordinator.spi.BranchRecord;
import dev.cohort.coordinator.spi.ClaimRequest;
import dev.cohort.coordinator.spi.GlobalRecord;
import dev.cohort.coordinator.spi.StoredTransaction;
import dev.cohort.coordinator.spi.TransactionStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the processors to the log and runs the engine-wide work: recovery on start, the poll for
 * due retries, and the operator's commands. Mode-specific logic lives in the processors.
 */
public final class Engine {
  private static final Logger LOG = LoggerFactory.getLogger(Engine.class);
  private static final int PURGE_BATCH = 500;

  private final TransactionStore store;
  private final CoordinatorOptions options;
  private final Clock clock;
  private final Scheduler scheduler;
  private final Participants participants;
  private final Journal journal;
  private final TccProcessor tcc;
  private final SagaProcessor saga;
  private final Map<Mode, ModeProcessor> processors = new EnumMap<>(Mode.class);
  private final Executor deliveryExecutor;

  /** Transactions some thread of this engine is driving right now; the poller leaves them be. */
  private final Set<Gid> active = ConcurrentHashMap.newKeySet();

  private final AtomicBoolean started = new AtomicBoolean();
  private volatile boolean closed;

  public Engine(
      TransactionStore store,
      CoordinatorOptions options,
      Clock clock,
      Scheduler scheduler,
      CoordinatorListener listener,
      Executor executor,
      Executor deliveryExecutor,
      RandomGenerator random,
      Participants participants) {
    this.deliveryExecutor = deliveryExecutor;
    this.store = store;
    this.options = options;
    this.clock = clock;
    this.scheduler = scheduler;
    this.participants = participants;
    GuardedListener guarded = new GuardedListener(listener);
    this.journal = new Journal(store, clock, guarded);
    Delivery delivery =
        new Delivery(
            journal, options, new Backoff(options, random), scheduler, guarded, this::pollDue);
    this.tcc =
        new TccProcessor(
            journal,
            delivery,
            participants,
            scheduler,
            executor,
            options.lease(),
            options.nodeId());
    this.saga =
        new SagaProcessor(journal, delivery, participants, options.lease(), options.nodeId());
    register(tcc);
    register(saga);
  }

  private void register(ModeProcessor processor) {
    processors.put(processor.mode(), processor);
  }

  public Participants participants() {
    return participants;
  }

  /** Opens the log, resumes every unfinished transaction this node owned, starts polling. */
  public void start() {
    if (!started.compareAndSet(false, true)) {
      throw new IllegalStateException("the coordinator was already started");
    }
    store.open();
    recoverOwn();
    schedulePoll();
    schedulePurge();
  }

  private void schedulePurge() {
    if (!closed) {
      scheduler.schedule(
          options.purgeInterval(),
          () -> {
            try {
              purgeFinished();
            } catch (RuntimeException e) {
              LOG.warn("purging finished transactions failed", e);
            }
            schedulePurge();
          });
    }
  }

  /**
   * Deletes finished transactions older than the retention, in batches so that a large backlog
   * never holds the log's locks for long.
   */
  public int purgeFinished() {
    requireStarted();
    Instant before = clock.instant().minus(options.retention());
    int total = 0;
    while (true) {
      int deleted = store.purgeFinished(before, PURGE_BATCH);
      total += deleted;
      if (deleted < PURGE_BATCH || closed) {
        return total;
      }
    }
  }

  private void recoverOwn() {
    Set<Gid> seen = new HashSet<>();
    while (true) {
      Instant now = clock.instant();
      List<StoredTransaction> claimed =
          store.claim(
              new ClaimRequest(
                  options.nodeId(), now, now.plus(options.lease()), options.claimBatch(), true));
      boolean progress = false;
      for (StoredTransaction t : claimed) {
        if (seen.add(t.global().gid())) {
          progress = true;
          drive(new Tx(t));
        }
      }
      if (!progress || claimed.size() < options.claimBatch()) {
        return;
      }
    }
  }

  private void schedulePoll() {
    if (!closed) {
      scheduler.schedule(
          options.pollInterval(),
          () -> {
            pollDue();
            schedulePoll();
          });
    }
  }

  /**
   * Claims transactions whose next attempt is due and hands each to the delivery executor, so that
   * a participant that hangs holds up its own transaction, never the scheduler (which also fires
   * the try-phase deadlines).
   */
  public void pollDue() {
    if (closed || !started.get()) {
      return;
    }
    try {
      Instant now = clock.instant();
      List<StoredTransaction> claimed =
          store.claim(
              new ClaimRequest(
                  options.nodeId(), now, now.plus(options.lease()), options.claimBatch(), false));
      for (StoredTransaction t : claimed) {
        if (!active.contains(t.global().gid())) {
          deliveryExecutor.execute(() -> drive(new Tx(t)));
        }
      }
    } catch (RuntimeException e) {
      LOG.warn("polling the log for due work failed; will retry", e);
    }
  }

  private void drive(Tx tx) {
    Gid gid = tx.global.gid();
    if (!active.add(gid)) {
      return;
    }
    try {
      processors.get(tx.global.mode()).resume(tx);
    } catch (RuntimeException e) {
      LOG.warn("driving transaction " + gid + " failed; will retry", e);
    } finally {
      active.remove(gid);
    }
  }

  public Outcome executeTcc(Plan plan) {
    Tx tx =
        begin(
            plan,
            Mode.TCC,
            "a TCC transaction needs at least one branch; add one with branch(...)");
    try {
      tcc.run(tx);
    } finally {
      active.remove(tx.global.gid());
    }
    return outcome(tx);
  }

  public Outcome executeSaga(Plan plan) {
    Tx tx = begin(plan, Mode.SAGA, "a saga needs at least one step; add one with step(...)");
    try {
      saga.forward(tx);
    } finally {
      active.remove(tx.global.gid());
    }
    return outcome(tx);
  }

  private Tx begin(Plan plan, Mode mode, String emptyMessage) {
    requireStarted();
    if (plan.steps().isEmpty()) {
      throw new InvalidDefinitionException(emptyMessage);
    }
    Gid gid = plan.gid() == null ? Gid.random() : plan.gid();
    Set<Object> ids = new HashSet<>();
    for (Plan.Step step : plan.steps()) {
      if (!ids.add(step.id())) {
        throw new DuplicateBranchException(gid, step.id());
      }
      if (mode == Mode.TCC) {
        participants.tcc(step.participant());
      } else {
        participants.saga(step.participant());
      }
    }
    Duration timeout = plan.timeout() == null ? options.defaultTimeout() : plan.timeout();
    Instant now = clock.instant();
    Instant deadline = now.plus(timeout);
    GlobalRecord global =
        new GlobalRecord(
            gid,
            mode,
            GlobalStatus.BEGUN,
            null,
            plan.parallel(),
            deadline,
            deadline,
            0,
            null,
            options.nodeId(),
            deadline.plus(options.lease()),
            null,
            now,
            now);
    List<BranchRecord> branches = new ArrayList<>();
    int seq = 0;
    for (Plan.Step step : plan.steps()) {
      branches.add(
          new BranchRecord(
              gid,
              step.id(),
              seq++,
              step.participant(),
              step.payload(),
              step.forward(),
              BranchStatus.REGISTERED,
              0,
              null));
    }
    Tx tx = new Tx(global, branches);
    if (!active.add(gid)) {
      throw new InvalidInputException("transaction " + gid + " is already running in this engine");
    }
    try {
      journal.begin(tx);
    } catch (RuntimeException e) {
      active.remove(gid);
      throw e;
    }
    return tx;
  }

  /**
   * Creates an OPEN transaction that branches are registered into one at a time. Its deadline is
   * also its lease: no poller touches it before, and after it any node rolls it back. With {@code
   * first}, that branch is written in the same insert (one durable write instead of two) and, for
   * TCC, tried before this returns, exactly as {@link #register} would.
   */
  public Outcome open(Mode mode, Duration timeout, Gid requested, BranchSpec first) {
    requireStarted();
    requireIncremental(mode);
    Duration t = timeout == null ? options.defaultTimeout() : timeout;
    if (t.isNegative() || t.isZero()) {
      throw new InvalidInputException("timeout must be positive but was " + t);
    }
    if (first != null) {
      checkBranch(mode, first);
    }
    Gid gid = requested == null ? Gid.random() : requested;
    Instant now = clock.instant();
    Instant deadline = now.plus(t);
    List<BranchRecord> branches =
        first == null
            ? List.of()
            : List.of(
                new BranchRecord(
                    gid,
                    first.id(),
                    0,
                    first.participant(),
                    first.payload(),
                    first.forward(),
                    BranchStatus.REGISTERED,
                    0,
                    null));
    // attempts counts an open transaction's registrations (see register).
    Tx tx =
        new Tx(incremental(gid, mode, GlobalStatus.OPEN, deadline, branches.size(), now), branches);
    try {
      journal.begin(tx);
    } catch (DuplicateTransactionException e) {
      if (first == null) {
        throw e;
      }
      // Someone created it first (another service of the same transaction, or this request
      // repeated after a lost answer): join it like any registration.
      requireSameMode(gid, mode);
      return register(gid, first.id(), first.participant(), first.payload(), first.forward());
    }
    if (first != null && mode == Mode.TCC) {
      tcc.tryAdded(tx, tx.branches.getLast());
    }
    return outcome(tx);
  }

  /**
   * Records a transaction that commits without branches in one write: what a client that opens
   * lazily sends when nothing was registered. When the gid exists already (the request repeated
   * after a lost answer, or branches were registered under it elsewhere) this is {@link #commit} of
   * that transaction.
   */
  public Outcome commitEmpty(Mode mode, Gid requested) {
    requireStarted();
    requireIncremental(mode);
    Gid gid = requested == null ? Gid.random() : requested;
    Instant now = clock.instant();
    Instant deadline = now.plus(options.defaultTimeout());
    GlobalRecord global = incremental(gid, mode, GlobalStatus.COMMITTED, deadline, 0, now);
    try {
      journal.begin(new Tx(global, List.of()));
    } catch (DuplicateTransactionException e) {
      if (requested == null) {
        throw e;
      }
      requireSameMode(gid, mode);
      return commit(gid);
    }
    return new Outcome(gid, global.status(), global.reason());
  }

  private void requireSameMode(Gid gid, Mode mode) {
    Mode existing = find(gid).global().mode();
    if (existing != mode) {
      throw new InvalidInputException(
          "transaction " + gid + " exists as " + existing.code() + ", not " + mode.code());
    }
  }

  /**
   * A new record for the incremental API: its deadline is also its lease and its first due time, so
   * no poller looks at it before.
   */
  private GlobalRecord incremental(
      Gid gid, Mode mode, GlobalStatus status, Instant deadline, int attempts, Instant now) {
    return new GlobalRecord(
        gid,
        mode,
        status,
        null,
        false,
        deadline,
        deadline,
        attempts,
        null,
        options.nodeId(),
        deadline,
        null,
        now,
        now);
  }

  private static void requireIncremental(Mode mode) {
    if (mode != Mode.TCC && mode != Mode.SAGA) {
      throw new InvalidInputException(
          "incremental transactions are tcc or saga, not " + (mode == null ? null : mode.code()));
    }
  }

  /** What register checks of a branch before anything is written. */
  private void checkBranch(Mode mode, BranchSpec branch) {
    if (mode == Mode.TCC) {
      participants.tcc(branch.participant());
      if (branch.forward()) {
        throw new InvalidInputException(
            "forward recovery is for saga steps; a TCC branch is always cancelled on rollback");
      }
    } else {
      participants.saga(branch.participant());
    }
  }

  /**
   * Adds a branch to an OPEN transaction. A TCC branch's try runs before this returns; when it does
   * not succeed the transaction is rolled back and the outcome says so. A saga step only waits for
   * the submit.
   */
  public Outcome register(
      Gid gid, BranchId branchId, String participant, String payload, boolean forward) {
    requireStarted();
    if (gid == null || branchId == null) {
      throw new InvalidInputException("register needs a gid and a branch id");
    }
    for (int attempt = 0; ; attempt++) {
      Tx tx = new Tx(find(gid));
      Mode mode = tx.global.mode();
      requireOpen(tx, "register a branch");
      if (attempt > Tx.MAX_OPEN_RACES) {
        throw new IllegalOperationException(
            gid,
            tx.global.status(),
            "it changed under "
                + Tx.MAX_OPEN_RACES
                + " attempts to register "
                + branchId
                + "; retry the request");
      }
      checkBranch(mode, new BranchSpec(branchId, participant, payload, forward));
      for (BranchRecord b : tx.branches) {
        if (b.branchId().equals(branchId)) {
          throw new DuplicateBranchException(gid, branchId);
        }
      }
      if (clock.instant().isAfter(tx.global.deadline())) {
        String reason =
            "branch " + branchId + " arrived after the deadline " + tx.global.deadline();
        abortOpen(tx, reason);
        if (tx.global.status() == GlobalStatus.OPEN) {
          continue; // lost a race with another request; read again
        }
        return outcome(tx);
      }
      int seq = tx.branches.isEmpty() ? 0 : tx.branches.getLast().seq() + 1;
      BranchRecord branch =
          new BranchRecord(
              gid, branchId, seq, participant, payload, forward, BranchStatus.REGISTERED, 0, null);
      // attempts + 1: an OPEN transaction counts its registrations, which is what a commit or an
      // abort pins, so neither can decide without this branch once it is written.
      boolean written =
          journal.update(
              tx,
              g -> g.withSchedule(g.nextAttemptAt(), g.leaseUntil(), g.attempts() + 1),
              List.of(journal.branchAdded(branch)));
      if (written) {
        if (mode == Mode.TCC) {
          tcc.tryAdded(tx, tx.branches.getLast());
        }
        return outcome(tx);
      }
      // Another request moved the transaction meanwhile (a concurrent registration, a commit, an
      // abort, the deadline): read it again and decide afresh.
    }
  }

  /**
   * Commits (TCC) or submits (saga) an OPEN transaction and drives it as far as it goes now.
   * Repeating the call on a transaction that is committing or committed reports where it is.
   */
  public Outcome commit(Gid gid) {
    requireStarted();
    Tx tx = new Tx(find(gid));
    GlobalStatus status = tx.global.status();
    if (status != GlobalStatus.OPEN) {
      if (rolledBack(tx.global)) {
        throw new IllegalOperationException(
            gid, status, "it rolled back" + because(tx.global.reason()));
      }
      return outcome(tx);
    }
    for (int attempt = 0; ; attempt++) {
      Tx current = attempt == 0 ? tx : new Tx(find(gid));
      if (current.global.status() != GlobalStatus.OPEN) {
        return commit(gid);
      }
      driveOpen(
          current,
          () -> {
            if (current.global.mode() == Mode.TCC) {
              tcc.commitOpen(current);
            } else {
              saga.submitOpen(current);
            }
          });
      // Still OPEN: a branch joined between the read and the decision; decide again with it.
      if (current.global.status() != GlobalStatus.OPEN || attempt >= Tx.MAX_OPEN_RACES) {
        return outcome(current);
      }
    }
  }

  /** Rolls an OPEN transaction back. Repeating it on a rolled-back one reports where it is. */
  public Outcome abort(Gid gid) {
    requireStarted();
    Tx tx = new Tx(find(gid));
    GlobalStatus status = tx.global.status();
    if (status != GlobalStatus.OPEN) {
      if (rolledBack(tx.global)) {
        return outcome(tx);
      }
      throw new IllegalOperationException(
          gid,
          status,
          status == GlobalStatus.BEGUN
              ? "the saga was submitted and runs; it rolls back by itself if a step fails"
              : "its commit was decided, so it can no longer be aborted");
    }
    for (int attempt = 0; ; attempt++) {
      Tx current = attempt == 0 ? tx : new Tx(find(gid));
      if (current.global.status() != GlobalStatus.OPEN) {
        return abort(gid);
      }
      driveOpen(current, () -> abortOpen(current, "aborted by the client"));
      if (current.global.status() != GlobalStatus.OPEN || attempt >= Tx.MAX_OPEN_RACES) {
        return outcome(current);
      }
    }
  }

  private void abortOpen(Tx tx, String reason) {
    if (tx.global.mode() == Mode.TCC) {
      tcc.abortOpen(tx, reason);
    } else {
      saga.abortOpen(tx, reason);
    }
  }

  /** Runs {@code work} with the poller kept off the transaction, as the one-call paths do. */
  private void driveOpen(Tx tx, Runnable work) {
    Gid gid = tx.global.gid();
    if (!active.add(gid)) {
      throw new IllegalOperationException(
          gid, tx.global.status(), "this node is driving it right now; query it again shortly");
    }
    try {
      work.run();
    } finally {
      active.remove(gid);
    }
  }

  private static boolean rolledBack(GlobalRecord g) {
    return switch (g.status()) {
      case ROLLING_BACK, ROLLED_BACK -> true;
      case FAILED -> g.resumeStatus() == GlobalStatus.ROLLING_BACK;
      default -> false;
    };
  }

  private static String because(String reason) {
    return reason == null ? "" : ": " + reason;
  }

  private static void requireOpen(Tx tx, String what) {
    GlobalStatus status = tx.global.status();
    if (status != GlobalStatus.OPEN) {
      throw new IllegalOperationException(
          tx.global.gid(),
          status,
          "only an open transaction (created without branches) can "
              + what
              + (rolledBack(tx.global) ? "; it rolled back" + because(tx.global.reason()) : ""));
    }
  }

  public List<GlobalRecord> search(TransactionQuery query) {
    if (query == null) {
      throw new InvalidInputException("search needs a query; TransactionQuery.all(50) lists all");
    }
    return store.search(query);
  }

  public StoredTransaction find(Gid gid) {
    return store.load(gid).orElseThrow(() -> new UnknownTransactionException(gid));
  }

  public List<GlobalRecord> findByStatus(GlobalStatus status, int limit) {
    return store.findByStatus(status, limit);
  }

  /**
   * Delivers now instead of waiting for the backoff. A FAILED transaction returns to the phase it
   * failed in with a fresh retry window.
   */
  public Outcome retryNow(Gid gid) {
    requireStarted();
    Tx tx = new Tx(find(gid));
    GlobalStatus status = tx.global.status();
    if (status.isTerminal()) {
      throw new IllegalOperationException(
          gid, status, "it has finished, so there is nothing to retry");
    }
    if (status == GlobalStatus.OPEN) {
      throw new IllegalOperationException(
          gid, status, "it is open: nothing is decided until its client commits or aborts it");
    }
    if (!active.add(gid)) {
      throw new IllegalOperationException(
          gid, status, "this engine is delivering it right now; query its status again shortly");
    }
    try {
      Instant now = clock.instant();
      if (status == GlobalStatus.FAILED) {
        GlobalStatus resume = tx.global.resumeStatus();
        boolean moved =
            journal.transition(
                tx,
                resume,
                g ->
                    g.withPhase(now, null, "retried by an operator after: " + g.reason())
                        .withSchedule(now, now.plus(options.lease()), 0),
                List.of());
        if (!moved) {
          return outcome(new Tx(find(gid)));
        }
      }
      processors.get(tx.global.mode()).resume(tx);
      return outcome(tx);
    } finally {
      active.remove(gid);
    }
  }

  /** Closes a FAILED transaction that an operator settled by hand. */
  public Outcome markResolved(Gid gid, String reason) {
    requireStarted();
    if (reason == null || reason.isBlank()) {
      throw new InvalidInputException(
          "markResolved needs a reason saying how transaction " + gid + " was settled");
    }
    Tx tx = new Tx(find(gid));
    GlobalStatus status = tx.global.status();
    if (status != GlobalStatus.FAILED) {
      throw new IllegalOperationException(
          gid,
          status,
          status.isTerminal()
              ? "it has already finished"
              : "only a FAILED transaction can be marked resolved; this one is still being"
                  + " delivered (use retryNow to hurry it)");
    }
    boolean moved =
        journal.transition(
            tx,
            GlobalStatus.RESOLVED,
            g -> g.withPhase(g.phaseStartedAt(), null, "resolved by an operator: " + reason),
            List.of());
    return outcome(moved ? tx : new Tx(find(gid)));
  }

  private static Outcome outcome(Tx tx) {
    return new Outcome(tx.global.gid(), tx.global.status(), tx.global.reason());
  }

  private void requireStarted() {
    if (!started.get()) {
      throw new IllegalStateException(
          "the coordinator is not started; call start() once participants are registered");
    }
    if (closed) {
      throw new IllegalStateException("the coordinator is closed");
    }
  }

  public void close() {
    closed = true;
  }
}
