package dev.cohort.coordinator.internal;

import dev.cohort.api.BranchStatus;
import dev.cohort.api.DuplicateBranchException;
import dev.cohort.api.Gid;
import dev.cohort.api.GlobalStatus;
import dev.cohort.api.IllegalOperationException;
import dev.cohort.api.InvalidDefinitionException;
import dev.cohort.api.InvalidInputException;
import dev.cohort.api.Mode;
import dev.cohort.api.UnknownTransactionException;
import dev.cohort.coordinator.CoordinatorListener;
import dev.cohort.coordinator.CoordinatorOptions;
import dev.cohort.coordinator.Outcome;
import dev.cohort.coordinator.Scheduler;
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

/**
 * Wires the processors to the log and runs the engine-wide work: recovery on start, the poll for
 * due retries, and the operator's commands. Mode-specific logic lives in the processors.
 */
public final class Engine {
  private static final System.Logger LOG = System.getLogger(Engine.class.getName());

  private final TransactionStore store;
  private final CoordinatorOptions options;
  private final Clock clock;
  private final Scheduler scheduler;
  private final Participants participants;
  private final Journal journal;
  private final TccProcessor tcc;
  private final SagaProcessor saga;
  private final Map<Mode, ModeProcessor> processors = new EnumMap<>(Mode.class);

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
      RandomGenerator random,
      Participants participants) {
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
        new TccProcessor(journal, delivery, participants, scheduler, executor, options.lease());
    this.saga = new SagaProcessor(journal, delivery, participants);
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

  /** Claims transactions whose next attempt is due and drives them. */
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
        drive(new Tx(t));
      }
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "polling the log for due work failed; will retry", e);
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
      LOG.log(System.Logger.Level.WARNING, "driving transaction " + gid + " failed; will retry", e);
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
