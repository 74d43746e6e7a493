package dev.cohort.coordinator;

import dev.cohort.api.BranchId;
import dev.cohort.api.Gid;
import dev.cohort.api.GlobalStatus;
import dev.cohort.api.InvalidInputException;
import dev.cohort.api.Mode;
import dev.cohort.api.Outcome;
import dev.cohort.api.Scheduler;
import dev.cohort.coordinator.internal.Engine;
import dev.cohort.coordinator.internal.Participants;
import dev.cohort.coordinator.internal.Plan;
import dev.cohort.coordinator.mode.ModeProcessorFactory;
import dev.cohort.coordinator.mode.ParticipantKind;
import dev.cohort.coordinator.spi.GlobalRecord;
import dev.cohort.coordinator.spi.StoredTransaction;
import dev.cohort.coordinator.spi.TransactionStore;
import dev.cohort.protocol.ModeContract;
import dev.cohort.protocol.ModeContracts;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.random.RandomGenerator;

/**
 * The embedded coordinator.
 *
 * <pre>{@code
 * Coordinator coordinator = Coordinator.builder(store).build();
 * coordinator.registerTcc("account", TccParticipant.of(account::freeze, account::debit, account::unfreeze));
 * coordinator.registerTcc("stock", TccParticipant.of(stock::reserve, stock::take, stock::release));
 * coordinator.start();   // resumes what a previous run left unfinished
 * Outcome outcome = coordinator.tcc().branch("account", "{\"cents\":500}").branch("stock", "sku-1").execute();
 * }</pre>
 *
 * Register every participant before {@link #start()}: recovery finds them by name.
 */
public final class Coordinator implements AutoCloseable {
  /**
   * The reason a transaction carries when a participant asked about its gid before the log had it,
   * so it was recorded as rolled back ({@link #outcomeForParticipant}).
   */
  public static final String PRESUMED_ABORT = Engine.PRESUMED_ABORT;

  private final Engine engine;
  private final Scheduler scheduler;
  private final boolean ownsScheduler;
  private final ExecutorService ownedExecutor;

  private Coordinator(Builder b) {
    this.ownsScheduler = b.scheduler == null;
    this.scheduler = ownsScheduler ? Scheduler.system() : b.scheduler;
    this.ownedExecutor = b.executor == null ? Executors.newVirtualThreadPerTaskExecutor() : null;
    Executor executor = b.executor == null ? ownedExecutor : b.executor;
    try {
      this.engine = newEngine(b, executor);
    } catch (RuntimeException e) {
      // A refused mode (e.g. two processors for one) must not leave our threads behind.
      releaseOwned();
      throw e;
    }
  }

  private Engine newEngine(Builder b, Executor executor) {
    return new Engine(
        b.store,
        b.options,
        b.clock,
        scheduler,
        b.listener,
        executor,
        b.deliveryExecutor == null ? executor : b.deliveryExecutor,
        b.random,
        new Participants(),
        List.copyOf(b.modes));
  }

  public static Builder builder(TransactionStore store) {
    return new Builder(store);
  }

  /** Registers a TCC participant under the name branches (and the log) refer to. */
  public Coordinator registerTcc(String name, TccParticipant participant) {
    engine.participants().registerTcc(name, participant);
    return this;
  }

  /** Registers a saga step under the name saga definitions (and the log) refer to. */
  public Coordinator registerSagaStep(String name, SagaStep step) {
    engine.participants().registerSagaStep(name, step);
    return this;
  }

  /**
   * Registers a participant of a mode added with {@link Builder#mode}, under the name its branches
   * (and the log) refer to; {@code kind} is the key that mode's processor looks it up by.
   */
  public <T> Coordinator registerParticipant(ParticipantKind<T> kind, String name, T participant) {
    engine.participants().register(kind, name, participant);
    return this;
  }

  /**
   * Opens the log (creating or migrating its schema) and starts resuming what a previous run of
   * this node left unfinished, in the background ({@link #recovery()}): new transactions are taken
   * at once.
   */
  public Coordinator start() {
    engine.start();
    return this;
  }

  /** Where the background recovery begun by {@link #start()} stands. */
  public RecoveryProgress recovery() {
    return engine.recovery();
  }

  public TccBuilder tcc() {
    return new TccBuilder(engine);
  }

  public SagaBuilder saga() {
    return new SagaBuilder(engine);
  }

  /** Runs a saga from a definition, e.g. one read with {@link SagaDefinition#fromJson}. */
  public Outcome execute(SagaDefinition definition) {
    return execute(definition, null);
  }

  public Outcome execute(SagaDefinition definition, Gid gid) {
    Objects.requireNonNull(definition, "definition");
    return engine.execute(
        Mode.SAGA, new Plan(gid, definition.timeout(), false, definition.toSteps()));
  }

  /**
   * The mode-neutral one-call path: writes the transaction of {@code mode} with all its branches in
   * one durable write, then the mode's processor runs it as far as it goes now (TCC: tries, decides
   * and delivers; saga: runs the steps in order). What {@link #tcc()}, {@link #saga()} and {@link
   * #execute(SagaDefinition)} do for their mode, for any mode that has a processor, so a caller
   * that only knows a mode as data (the SDK, the server) needs no branch on it.
   *
   * @param timeout null for {@link CoordinatorOptions#defaultTimeout()}
   * @param gid null to generate one
   */
  public Outcome run(Mode mode, Duration timeout, Gid gid, List<BranchSpec> branches) {
    return run(mode, timeout, gid, branches, false);
  }

  /**
   * {@link #run(Mode, Duration, Gid, List)}, with the branches run concurrently when {@code
   * parallel}; a mode whose {@link ModeContract#parallel()} is false refuses {@code parallel}.
   */
  public Outcome run(
      Mode mode, Duration timeout, Gid gid, List<BranchSpec> branches, boolean parallel) {
    return run(mode, timeout, gid, branches, parallel, false);
  }

  /**
   * {@link #run(Mode, Duration, Gid, List, boolean)}, with presumed abort when {@code
   * presumedAbort} (see {@link TccBuilder#presumedAbort()}; a mode whose processor does not presume
   * abort refuses it).
   */
  public Outcome run(
      Mode mode,
      Duration timeout,
      Gid gid,
      List<BranchSpec> branches,
      boolean parallel,
      boolean presumedAbort) {
    if (branches == null) {
      throw new InvalidInputException("run needs the list of branches, e.g. List.of(branch)");
    }
    if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
      throw new InvalidInputException("timeout must be a positive duration but was " + timeout);
    }
    List<Plan.Step> steps = new ArrayList<>(branches.size());
    for (BranchSpec b : branches) {
      if (b == null) {
        throw new InvalidInputException("branches must not contain null");
      }
      steps.add(new Plan.Step(b.id(), b.participant(), b.payload(), b.forward()));
    }
    return engine.execute(mode, new Plan(gid, timeout, parallel, presumedAbort, steps));
  }

  /**
   * The client contracts of the modes this coordinator runs (built in and added with {@link
   * Builder#mode}) that have one: what the embedded SDK and the server accept, and how they treat
   * each mode's branches.
   */
  public ModeContracts contracts() {
    return engine.contracts();
  }

  /**
   * Creates an OPEN transaction for branches registered one at a time ({@link #register}), then
   * {@link #commit} or {@link #abort}: the shape a remote client uses. One that is neither
   * committed nor aborted before its deadline is rolled back.
   *
   * @param timeout null for {@link CoordinatorOptions#defaultTimeout()}
   * @param gid null to generate one
   */
  public Outcome open(Mode mode, Duration timeout, Gid gid) {
    return engine.open(mode, timeout, gid, null);
  }

  /**
   * {@link #open(Mode, Duration, Gid)} and {@link #register} of {@code first} in one durable write;
   * for TCC the branch's try runs before this returns, and an outcome other than {@code OPEN} means
   * it did not succeed and the transaction was rolled back. When {@code gid} exists already this
   * registers {@code first} into it, so a repeated request or a second service can use it too.
   *
   * @param first required; without a branch use {@link #open(Mode, Duration, Gid)}
   */
  public Outcome open(Mode mode, Duration timeout, Gid gid, BranchSpec first) {
    if (first == null) {
      throw new InvalidInputException(
          "open with a first branch needs the branch; use open(mode, timeout, gid) without one");
    }
    return engine.open(mode, timeout, gid, first);
  }

  /**
   * Records a transaction that commits without any branch, in one durable write (status {@code
   * committed}): the commit of a lazily begun transaction nothing was registered into. When {@code
   * gid} exists already this is {@link #commit(Gid)} of it, so repeating the call is safe.
   *
   * @param gid null to generate one
   */
  public Outcome commitEmpty(Mode mode, Gid gid) {
    return engine.commitEmpty(mode, gid);
  }

  /**
   * Adds a branch to an OPEN transaction. For TCC the participant's try runs before this returns:
   * an outcome still {@code OPEN} means it succeeded; otherwise the transaction was rolled back and
   * the outcome's reason says why. A saga step only runs at {@link #commit}.
   *
   * @param participant a registered TCC participant or saga step name, matching the mode
   * @param forward saga only: retry this step until it succeeds instead of compensating
   */
  public Outcome register(
      Gid gid, BranchId branchId, String participant, String payload, boolean forward) {
    return engine.register(gid, branchId, participant, payload, forward);
  }

  /** {@link #register(Gid, BranchId, String, String, boolean)} with the branch as one value. */
  public Outcome register(Gid gid, BranchSpec branch) {
    if (branch == null) {
      throw new InvalidInputException("register needs the branch to add to " + gid);
    }
    return register(gid, branch.id(), branch.participant(), branch.payload(), branch.forward());
  }

  /** Commits (TCC) or submits (saga) an OPEN transaction; idempotent once committed. */
  public Outcome commit(Gid gid) {
    return engine.commit(gid);
  }

  /** Rolls an OPEN transaction back; idempotent once rolled back. */
  public Outcome abort(Gid gid) {
    return engine.abort(gid);
  }

  /** Transactions matching {@code query}, ordered by gid. */
  public List<GlobalRecord> search(TransactionQuery query) {
    return engine.search(query);
  }

  /** The transaction as the log holds it. */
  public TransactionView find(Gid gid) {
    StoredTransaction t = engine.find(gid);
    return new TransactionView(t.global(), t.branches());
  }

  /**
   * The outcome a participant holding work for {@code gid} acts on. For a gid the log does not know
   * it records a rollback first (presumed abort): a TCC transaction run with {@link
   * TccBuilder#presumedAbort()} is not in the log until its decision, and the recorded rollback
   * keeps it from ever committing, so the answer is final either way.
   */
  public TransactionView outcomeForParticipant(Gid gid) {
    if (gid == null) {
      throw new InvalidInputException("outcomeForParticipant needs a gid");
    }
    StoredTransaction t = engine.outcomeForParticipant(gid);
    return new TransactionView(t.global(), t.branches());
  }

  public List<GlobalRecord> findByStatus(GlobalStatus status, int limit) {
    if (limit < 1) {
      throw new InvalidInputException("limit must be at least 1 but was " + limit);
    }
    return engine.findByStatus(status, limit);
  }

  /** Operator: deliver now; a FAILED transaction gets a fresh retry window. */
  public Outcome retryNow(Gid gid) {
    return engine.retryNow(gid);
  }

  /** Operator: a FAILED transaction was settled by hand; records why and closes it. */
  public Outcome markResolved(Gid gid, String reason) {
    return engine.markResolved(gid, reason);
  }

  /**
   * Deletes finished transactions older than {@link CoordinatorOptions#retention()} now (the engine
   * also does it every {@link CoordinatorOptions#purgeInterval()}).
   *
   * @return how many were deleted
   */
  public int purgeFinished() {
    return engine.purgeFinished();
  }

  /** Looks for due retries now instead of waiting for the next poll. */
  public void pollNow() {
    engine.pollDue();
  }

  @Override
  public void close() {
    engine.close();
    releaseOwned();
  }

  private void releaseOwned() {
    if (ownsScheduler) {
      scheduler.close();
    }
    if (ownedExecutor != null) {
      ownedExecutor.shutdownNow();
    }
  }

  /** Collects the engine's collaborators; everything but the store has a default. */
  public static final class Builder {
    private final TransactionStore store;
    private CoordinatorOptions options = CoordinatorOptions.defaults();
    private Clock clock = Clock.systemUTC();
    private Scheduler scheduler;
    private CoordinatorListener listener = new CoordinatorListener() {};
    private Executor executor;
    private Executor deliveryExecutor;
    private RandomGenerator random = RandomGenerator.getDefault();
    private final List<ModeProcessorFactory> modes = new ArrayList<>();

    private Builder(TransactionStore store) {
      this.store = Objects.requireNonNull(store, "store");
    }

    public Builder options(CoordinatorOptions value) {
      this.options = Objects.requireNonNull(value, "options");
      return this;
    }

    public Builder clock(Clock value) {
      this.clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    /** Runs retries, polls and deadlines; the default is one daemon thread, closed with us. */
    public Builder scheduler(Scheduler value) {
      this.scheduler = Objects.requireNonNull(value, "scheduler");
      return this;
    }

    public Builder listener(CoordinatorListener value) {
      this.listener = Objects.requireNonNull(value, "listener");
      return this;
    }

    /** Runs parallel tries; the default is a virtual thread per call. */
    public Builder executor(Executor value) {
      this.executor = Objects.requireNonNull(value, "executor");
      return this;
    }

    /**
     * Runs retries and takeovers the poll finds, one task per transaction; the default is the same
     * as {@link #executor}. Tests pass {@code Runnable::run} to keep everything on the thread that
     * advances time.
     */
    public Builder deliveryExecutor(Executor value) {
      this.deliveryExecutor = Objects.requireNonNull(value, "deliveryExecutor");
      return this;
    }

    /** Source of backoff jitter; tests pass a seeded one. */
    public Builder random(RandomGenerator value) {
      this.random = Objects.requireNonNull(value, "random");
      return this;
    }

    /**
     * Adds a mode beyond the built-in TCC and saga: the factory is called once, when the
     * coordinator is built, with what the engine lends every processor. A mode that already has a
     * processor is refused. See {@link dev.cohort.coordinator.mode.ModeProcessor} for what a
     * processor must guarantee.
     */
    public Builder mode(ModeProcessorFactory factory) {
      this.modes.add(Objects.requireNonNull(factory, "factory"));
      return this;
    }

    public Coordinator build() {
      return new Coordinator(this);
    }
  }
}
