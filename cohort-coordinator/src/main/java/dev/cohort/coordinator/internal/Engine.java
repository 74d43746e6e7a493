package dev.cohort.coordinator.internal;

import dev.cohort.api.BranchId;
import dev.cohort.api.BranchStatus;
import dev.cohort.api.DuplicateBranchException;
import dev.cohort.api.DuplicateTransactionException;
import dev.cohort.api.Gid;
import dev.cohort.api.GlobalStatus;
import dev.cohort.api.IllegalOperationException;
import dev.cohort.api.InvalidInputException;
import dev.cohort.api.Mode;
import dev.cohort.api.Outcome;
import dev.cohort.api.Scheduler;
import dev.cohort.api.UnknownTransactionException;
import dev.cohort.coordinator.BranchSpec;
import dev.cohort.coordinator.CoordinatorListener;
import dev.cohort.coordinator.CoordinatorOptions;
import dev.cohort.coordinator.RecoveryProgress;
import dev.cohort.coordinator.TransactionQuery;
import dev.cohort.coordinator.mode.ModeContext;
import dev.cohort.coordinator.mode.ModeProcessor;
import dev.cohort.coordinator.mode.ModeProcessorFactory;
import dev.cohort.coordinator.spi.BranchRecord;
import dev.cohort.coordinator.spi.ClaimRequest;
import dev.cohort.coordinator.spi.GlobalRecord;
import dev.cohort.coordinator.spi.StoredTransaction;
import dev.cohort.coordinator.spi.TransactionStore;
import dev.cohort.protocol.ModeContract;
import dev.cohort.protocol.ModeContracts;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

  /** The reason recorded for a gid that a participant asked about before the log knew it. */
  public static final String PRESUMED_ABORT =
      "presumed abort: a participant asked about this gid before the log had it, so it was"
          + " recorded as rolled back and can no longer commit";

  private final TransactionStore store;
  private final CoordinatorOptions options;
  private final Clock clock;
  private final Scheduler scheduler;
  private final Participants participants;
  private final Journal journal;

  /** In the order they were added (TCC, saga, then plug-ins), so listings read the same way. */
  private final Map<Mode, ModeProcessor> processors = new LinkedHashMap<>();

  private final ModeContracts contracts;

  private final Executor deliveryExecutor;

  /** Transactions some thread of this engine is driving right now; the poller leaves them be. */
  private final Set<Gid> active = ConcurrentHashMap.newKeySet();

  private final Recovery recovery;

  private final AtomicBoolean started = new AtomicBoolean();
  private volatile boolean closed;

  /**
   * @param plugins processors of further modes, after the built-in TCC and saga ones
   */
  public Engine(
      TransactionStore store,
      CoordinatorOptions options,
      Clock clock,
      Scheduler scheduler,
      CoordinatorListener listener,
      Executor executor,
      Executor deliveryExecutor,
      RandomGenerator random,
      Participants participants,
      List<ModeProcessorFactory> plugins) {
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
    ModeContext context =
        new ProcessorContext(journal, delivery, participants, options, scheduler, executor);
    List<ModeProcessorFactory> factories = new ArrayList<>();
    factories.add(TccProcessor::new);
    factories.add(SagaProcessor::new);
    factories.addAll(plugins);
    for (ModeProcessorFactory factory : factories) {
      add(factory.create(context));
    }
    List<ModeContract> contracts = new ArrayList<>();
    for (ModeProcessor processor : processors.values()) {
      processor.clientContract().ifPresent(contracts::add);
    }
    // Fixed once the processors are: the server asks on every request.
    this.contracts = ModeContracts.of(contracts);
    this.recovery =
        new Recovery(
            options.recoveryParallelism(),
            options.claimBatch(),
            this::claimOwn,
            t -> drive(new Tx(t)),
            deliveryExecutor,
            () -> closed);
  }

  private void add(ModeProcessor processor) {
    if (processor == null || processor.mode() == null) {
      throw new InvalidInputException(
          "a mode processor factory returned "
              + (processor == null ? "null" : "a processor without a mode")
              + "; it must return a processor whose mode() names its mode");
    }
    ModeProcessor previous = processors.putIfAbsent(processor.mode(), processor);
    if (previous != null) {
      throw new InvalidInputException(
          "mode "
              + processor.mode().code()
              + " already has a processor ("
              + previous.getClass().getName()
              + "); register one processor per mode");
    }
  }

  /** The client contracts of the modes this engine runs, for the SDK and the server. */
  public ModeContracts contracts() {
    return contracts;
  }

  /** The processor of {@code mode}; a mode nobody registered a processor for is refused. */
  private ModeProcessor processor(Mode mode) {
    if (mode == null) {
      throw new InvalidInputException("a transaction needs a mode, e.g. Mode.TCC or Mode.SAGA");
    }
    ModeProcessor processor = processors.get(mode);
    if (processor == null) {
      throw new InvalidInputException(noProcessor(mode));
    }
    return processor;
  }

  private String noProcessor(Mode mode) {
    List<String> known = new ArrayList<>();
    processors.keySet().forEach(m -> known.add(m.code()));
    Collections.sort(known);
    return "no processor for mode "
        + mode.code()
        + " (this coordinator runs "
        + String.join(", ", known)
        + "); register one with Coordinator.builder(store).mode(factory)";
  }

  public Participants participants() {
    return participants;
  }

  /**
   * Opens the log and starts polling; what a previous run of this node left unfinished is resumed
   * in the background ({@link #recovery()}), so the engine takes new work at once.
   */
  public void start() {
    if (!started.compareAndSet(false, true)) {
      throw new IllegalStateException("the coordinator was already started");
    }
    store.open();
    recovery.start();
    schedulePoll();
    scheduleRenewal();
    schedulePurge();
  }

  /** Where the background recovery of the last start stands. */
  public RecoveryProgress recovery() {
    return recovery.progress();
  }

  private List<StoredTransaction> claimOwn(int limit) {
    Instant now = clock.instant();
    return store.claim(
        new ClaimRequest(options.nodeId(), now, now.plus(options.lease()), limit, true));
  }

  /**
   * Every third of a lease, extends the lease of every transaction this engine is driving, so that
   * a round which takes long (a participant that hangs until its call times out) does not look like
   * a dead node to the others.
   */
  private void scheduleRenewal() {
    if (!closed) {
      scheduler.schedule(
          options.lease().dividedBy(3),
          () -> {
            renewLeases();
            scheduleRenewal();
          });
    }
  }

  private void renewLeases() {
    if (closed || active.isEmpty()) {
      return;
    }
    try {
      store.renewLeases(
          options.nodeId(), List.copyOf(active), clock.instant().plus(options.lease()));
    } catch (RuntimeException e) {
      LOG.warn("renewing the leases of the transactions this node drives failed; will retry", e);
    }
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
      if (!stillOurs(tx)) {
        return;
      }
      ModeProcessor processor = processors.get(tx.global.mode());
      if (processor == null) {
        // Not ours to guess at: another node (or a later version) may run this mode. The lease
        // keeps this node from claiming it again until it expires.
        LOG.warn(
            "transaction {} is {} in the log but {}; left as it is for a node that has one, or for"
                + " an operator",
            gid,
            tx.global.status().code(),
            noProcessor(tx.global.mode()));
        return;
      }
      processor.resume(tx);
    } catch (RuntimeException e) {
      LOG.warn("driving transaction " + gid + " failed; will retry", e);
    } finally {
      active.remove(gid);
    }
  }

  /**
   * The compare-and-set before a round on a claimed transaction: it renews the lease only if the
   * transaction is still where the claim found it, so a node never repeats phase two (or a saga
   * step) for a transaction another node has moved on or finished meanwhile. An OPEN one is only
   * claimed past its deadline, and the rollback that follows is itself a compare-and-set.
   */
  private boolean stillOurs(Tx tx) {
    if (tx.global.status() == GlobalStatus.OPEN) {
      return true;
    }
    Instant until = clock.instant().plus(options.lease());
    Instant next = tx.global.nextAttemptAt().isBefore(until) ? until : tx.global.nextAttemptAt();
    boolean renewed =
        journal.update(
            tx,
            g -> g.withOwner(options.nodeId(), until).withSchedule(next, until, g.attempts()),
            List.of());
    if (!renewed) {
      LOG.info(
          "transaction {} moved on to {} since this node claimed it; left to {}",
          tx.global.gid(),
          tx.global.status().code(),
          tx.global.owner());
    }
    return renewed;
  }

  /** The one-call path: begins {@code plan} durably, then its mode's processor runs it. */
  public Outcome execute(Mode mode, Plan plan) {
    requireStarted();
    ModeProcessor processor = processor(mode);
    if (plan.parallel() && !processor.clientContract().map(ModeContract::parallel).orElse(false)) {
      throw new InvalidInputException(
          "a "
              + mode.code()
              + " transaction has no parallel run; its processor runs the branches in order");
    }
    if (plan.presumedAbort() && !processor.presumesAbort()) {
      throw new InvalidInputException(
          "presumed abort is for one-shot TCC; a "
              + mode.code()
              + " transaction is written before its branches run, so leave presumedAbort out");
    }
    Tx tx = begin(processor, plan);
    try {
      processor.run(tx);
    } finally {
      active.remove(tx.global.gid());
    }
    return outcome(tx);
  }

  private Tx begin(ModeProcessor processor, Plan plan) {
    Gid gid = plan.gid() == null ? Gid.random() : plan.gid();
    List<BranchRecord> branches = new ArrayList<>();
    int seq = 0;
    for (Plan.Step step : plan.steps()) {
      branches.add(
          registered(gid, step.id(), seq++, step.participant(), step.payload(), step.forward()));
    }
    processor.checkPlan(branches);
    Set<Object> ids = new HashSet<>();
    for (BranchRecord branch : branches) {
      if (!ids.add(branch.branchId())) {
        throw new DuplicateBranchException(gid, branch.branchId());
      }
      processor.checkBranch(branch);
    }
    Duration timeout = plan.timeout() == null ? options.defaultTimeout() : plan.timeout();
    if (plan.presumedAbort() && timeout.compareTo(options.retention()) >= 0) {
      // A participant's recorded rollback must outlive the tries it may race, or a purge could
      // let a late decision of the same gid in.
      throw new InvalidInputException(
          "a presumed-abort transaction's timeout ("
              + timeout
              + ") must be shorter than the log's retention ("
              + options.retention()
              + "); shorten the timeout or raise the retention");
    }
    Instant now = clock.instant();
    Instant deadline = now.plus(timeout);
    // The lease, not the deadline, keeps other nodes away while this one runs the tries: it is
    // renewed while the transaction is driven, so a dead node's undecided work is taken over when
    // its lease runs out.
    GlobalRecord global =
        GlobalRecord.planned(
            gid,
            processor.mode(),
            plan.parallel(),
            deadline,
            options.nodeId(),
            now.plus(options.lease()),
            now);
    Tx tx = plan.presumedAbort() ? Tx.unlogged(global, branches) : new Tx(global, branches);
    if (!active.add(gid)) {
      throw new InvalidInputException("transaction " + gid + " is already running in this engine");
    }
    try {
      if (tx.logged) {
        journal.begin(tx);
      } else if (plan.gid() != null && store.load(gid).isPresent()) {
        // Presumed abort writes nothing before the tries, so a taken gid is found by reading: its
        // branches must never be tried on behalf of another transaction. (A generated gid is new.)
        throw new DuplicateTransactionException(gid, null);
      }
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
    ModeProcessor processor = processor(mode);
    Duration t = timeout == null ? options.defaultTimeout() : timeout;
    if (t.isNegative() || t.isZero()) {
      throw new InvalidInputException("timeout must be positive but was " + t);
    }
    Gid gid = requested == null ? Gid.random() : requested;
    List<BranchRecord> branches =
        first == null
            ? List.of()
            : List.of(
                registered(
                    gid, first.id(), 0, first.participant(), first.payload(), first.forward()));
    for (BranchRecord branch : branches) {
      processor.checkBranch(branch);
    }
    Instant now = clock.instant();
    Instant deadline = now.plus(t);
    // attempts counts an open transaction's registrations (see register).
    Tx tx =
        new Tx(
            GlobalRecord.opened(gid, mode, options.nodeId(), deadline, branches.size(), now),
            branches);
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
    if (first != null) {
      processor.registered(tx, tx.branches.getLast());
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
    var unused = processor(mode);
    Gid gid = requested == null ? Gid.random() : requested;
    Instant now = clock.instant();
    Instant deadline = now.plus(options.defaultTimeout());
    GlobalStatus.OPEN.transition(gid, GlobalStatus.COMMITTED);
    GlobalRecord global =
        GlobalRecord.opened(gid, mode, options.nodeId(), deadline, 0, now)
            .withStatus(GlobalStatus.COMMITTED, now);
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
    if (!existing.equals(mode)) {
      throw new InvalidInputException(
          "transaction " + gid + " exists as " + existing.code() + ", not " + mode.code());
    }
  }

  /** A branch as it is first written: registered, nothing attempted yet. */
  private static BranchRecord registered(
      Gid gid, BranchId id, int seq, String participant, String payload, boolean forward) {
    return new BranchRecord(
        gid, id, seq, participant, payload, forward, BranchStatus.REGISTERED, 0, null);
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
      requireOpen(tx, "register a branch");
      ModeProcessor processor = processor(tx.global.mode());
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
      int seq = tx.branches.isEmpty() ? 0 : tx.branches.getLast().seq() + 1;
      BranchRecord branch = registered(gid, branchId, seq, participant, payload, forward);
      processor.checkBranch(branch);
      for (BranchRecord b : tx.branches) {
        if (b.branchId().equals(branchId)) {
          throw new DuplicateBranchException(gid, branchId);
        }
      }
      if (clock.instant().isAfter(tx.global.deadline())) {
        String reason =
            "branch " + branchId + " arrived after the deadline " + tx.global.deadline();
        processor.abortOpen(tx, reason);
        if (tx.global.status() == GlobalStatus.OPEN) {
          continue; // lost a race with another request; read again
        }
        return outcome(tx);
      }
      // attempts + 1: an OPEN transaction counts its registrations, which is what a commit or an
      // abort pins, so neither can decide without this branch once it is written.
      boolean written =
          journal.update(
              tx,
              g -> g.withSchedule(g.nextAttemptAt(), g.leaseUntil(), g.attempts() + 1),
              List.of(journal.branchAdded(branch)));
      if (written) {
        processor.registered(tx, tx.branches.getLast());
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
      ModeProcessor processor = processor(current.global.mode());
      driveOpen(current, () -> processor.commitOpen(current));
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
      ModeProcessor processor = processor(current.global.mode());
      driveOpen(current, () -> processor.abortOpen(current, "aborted by the client"));
      if (current.global.status() != GlobalStatus.OPEN || attempt >= Tx.MAX_OPEN_RACES) {
        return outcome(current);
      }
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

  /**
   * What a participant left holding work for {@code gid} is told: the transaction as the log holds
   * it or, for a gid the log does not know, a rollback recorded now. A transaction run with
   * presumed abort is not in the log until its decision, so "unknown" alone would not be final: its
   * owner may still be running the tries. Recording the rollback makes the answer final, because
   * the owner's decision is an insert of the same gid, which then fails (and the owner cancels).
   */
  public StoredTransaction outcomeForParticipant(Gid gid) {
    Optional<StoredTransaction> found = store.load(gid);
    if (found.isPresent()) {
      return found.get();
    }
    // Recorded in the mode of the transactions that can be missing from the log this way.
    Mode presuming =
        processors.values().stream()
            .filter(ModeProcessor::presumesAbort)
            .map(ModeProcessor::mode)
            .findFirst()
            .orElseThrow();
    Instant now = clock.instant();
    Tx tx =
        Tx.unlogged(GlobalRecord.opened(gid, presuming, options.nodeId(), now, 0, now), List.of());
    journal.transition(
        tx, GlobalStatus.ROLLED_BACK, g -> g.withPhase(now, null, PRESUMED_ABORT), List.of());
    return new StoredTransaction(tx.global, tx.branches);
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
    ModeProcessor processor = processor(tx.global.mode());
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
                        .withSchedule(now, now.plus(options.lease()), 0)
                        .withOwner(options.nodeId(), now.plus(options.lease())),
                List.of());
        if (!moved) {
          return outcome(new Tx(find(gid)));
        }
      }
      processor.resume(tx);
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
