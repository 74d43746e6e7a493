package dev.cohort.xa;

import dev.cohort.api.Gid;
import dev.cohort.api.Scheduler;
import dev.cohort.coordinator.spi.TransactionStore;
import dev.cohort.xa.internal.BranchCalls;
import dev.cohort.xa.internal.DecisionLog;
import dev.cohort.xa.internal.Recovery;
import dev.cohort.xa.internal.XaTx;
import jakarta.transaction.HeuristicMixedException;
import jakarta.transaction.HeuristicRollbackException;
import jakarta.transaction.InvalidTransactionException;
import jakarta.transaction.NotSupportedException;
import jakarta.transaction.RollbackException;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.SystemException;
import jakarta.transaction.Transaction;
import jakarta.transaction.TransactionManager;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.UserTransaction;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cohort's Jakarta Transactions manager: one object that is the {@link TransactionManager}, the
 * {@link UserTransaction} and the {@link TransactionSynchronizationRegistry}, so Spring's {@code
 * JtaTransactionManager} takes it as its one argument. Two-phase commit over the enlisted XA
 * resources (one phase when there is one), the commit decision written to Cohort's log before phase
 * two, presumed abort, and {@link #recover} to finish what a crash left in doubt. See docs/xa.md.
 *
 * <pre>{@code
 * XaTransactionManager tm = XaTransactionManager.builder(JdbcTransactionStore.sqlite(logFile))
 *     .nodeId("orders-1").build();
 * XaPool orders = XaPool.builder("orders", mariaXa, tm).build();
 * XaPool billing = XaPool.builder("billing", pgXa, tm).build();
 * tm.recover(orders, billing);          // on start: finish in-doubt branches of this node
 * }</pre>
 */
public final class XaTransactionManager
    implements TransactionManager,
        UserTransaction,
        TransactionSynchronizationRegistry,
        AutoCloseable {
  /** Applies when {@link #setTransactionTimeout} was not called (or called with 0). */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

  public static final String DEFAULT_NODE_ID = "xa";

  private static final Logger LOG = LoggerFactory.getLogger(XaTransactionManager.class);

  /** Node ids go into every Xid's global part (at most 64 bytes with the 33 of the gid's tail). */
  private static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9_-]{1,31}");

  private final TransactionStore store;
  private final boolean closeStore;
  private final String nodeId;
  private final Duration defaultTimeout;
  private final Clock clock;
  private final Scheduler scheduler;
  private final boolean ownsScheduler;
  private final XaHooks hooks;
  private final DecisionLog log;
  private final ExecutorService branchThreads;
  private final BranchCalls branchCalls;
  private final List<Scheduler.Cancellable> repeatedRecoveries = new CopyOnWriteArrayList<>();

  // Transactions begun here and not completed: recovery leaves their branches alone, since a
  // branch prepared before its decision is logged is not in doubt, only in progress.
  private final Set<String> inProgress = ConcurrentHashMap.newKeySet();

  // Per manager, not static: two managers in one JVM (a test's crashed one and its successor, or
  // two applications) must not see each other's thread association.
  @SuppressWarnings("ThreadLocalUsage")
  private final ThreadLocal<XaTx> current = new ThreadLocal<>();

  @SuppressWarnings("ThreadLocalUsage")
  private final ThreadLocal<Duration> timeout = new ThreadLocal<>();

  private XaTransactionManager(Builder b) {
    this.store = b.store;
    this.closeStore = b.closeStore;
    this.nodeId = b.nodeId;
    this.defaultTimeout = b.defaultTimeout;
    this.clock = b.clock;
    this.hooks = b.hooks;
    this.ownsScheduler = b.scheduler == null;
    this.scheduler = ownsScheduler ? Scheduler.system("cohort-xa-" + nodeId) : b.scheduler;
    this.log = new DecisionLog(store, nodeId, clock, scheduler);
    this.branchThreads = b.branchesInParallel ? branchCallThreads(nodeId) : null;
    this.branchCalls = new BranchCalls(branchThreads, Runtime.getRuntime().availableProcessors());
  }

  /**
   * Threads for the second and later branches' prepare and commit calls: platform threads, since a
   * JDBC driver blocked inside a synchronized block would pin a virtual thread's carrier; daemon,
   * so that a manager left open never keeps the JVM alive; idle ones end after a minute.
   */
  private static ExecutorService branchCallThreads(String nodeId) {
    AtomicInteger count = new AtomicInteger();
    return Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "cohort-xa-" + nodeId + "-branch-" + count.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * A manager logging to {@code store} (any of Cohort's logs: SQLite, PostgreSQL, MariaDB). The
   * store is opened (its schema migrated) by {@link Builder#build}.
   */
  public static Builder builder(TransactionStore store) {
    return new Builder(store);
  }

  public String nodeId() {
    return nodeId;
  }

  /**
   * Finishes this node's in-doubt branches on {@code pools}: each Xid a resource reports as
   * prepared is committed when the log holds a commit decision for it and rolled back when it does
   * not (presumed abort); Xids of other managers or nodes are left alone. Call it on start, before
   * serving, with every pool this node writes through.
   */
  public RecoveryReport recover(XaPool... pools) {
    return recover(List.of(pools));
  }

  public RecoveryReport recover(List<XaPool> pools) {
    List<Recovery.Source> sources =
        pools.stream().map(p -> new Recovery.Source(p.name(), p::openRecoveryConnection)).toList();
    Recovery.Result r = new Recovery(log, nodeId, hooks, inProgress::contains).run(sources);
    return new RecoveryReport(
        r.committed(), r.rolledBack(), r.foreign(), r.completed(), r.failed(), r.unresolved());
  }

  /**
   * Runs {@link #recover} on {@code pools} every {@code every} on {@code scheduler} until the
   * returned handle (or {@link #close}) stops it, so that a branch left in doubt while its database
   * was unreachable is finished once the database is back, without an operator. A run that fails is
   * logged and the next one goes on; a run that leaves something unresolved or failed logs it. Call
   * {@link #recover} once on start as well: the first repeated run comes only after {@code every}.
   */
  public Scheduler.Cancellable recoverRepeatedly(
      Scheduler scheduler, Duration every, List<XaPool> pools) {
    Objects.requireNonNull(scheduler, "scheduler: pass the scheduler the runs go on");
    Objects.requireNonNull(every, "every: pass the interval between runs, e.g. 30 s");
    if (pools == null || pools.isEmpty()) {
      throw new IllegalArgumentException(
          "recoverRepeatedly needs the pools this node writes through; none were given");
    }
    List<XaPool> scanned = List.copyOf(pools);
    Scheduler.Cancellable handle =
        scheduler.scheduleRepeatedly(every, () -> logRepeatedRun(recover(scanned)));
    repeatedRecoveries.add(handle);
    return () -> {
      handle.cancel();
      repeatedRecoveries.remove(handle);
    };
  }

  private void logRepeatedRun(RecoveryReport report) {
    if (!report.unresolved().isEmpty() || !report.failed().isEmpty()) {
      LOG.warn(
          "XA recovery of node {}: {} committed, {} rolled back; still unresolved: {}; failed: {}",
          nodeId,
          report.committed(),
          report.rolledBack(),
          report.unresolved(),
          report.failed());
    } else if (report.committed() + report.rolledBack() + report.completed() > 0) {
      LOG.info(
          "XA recovery of node {}: {} committed, {} rolled back, {} completed",
          nodeId,
          report.committed(),
          report.rolledBack(),
          report.completed());
    }
  }

  // --- TransactionManager / UserTransaction ---

  @Override
  public void begin() throws NotSupportedException {
    XaTx tx = current.get();
    if (tx != null) {
      throw new NotSupportedException(
          "begin: this thread already runs "
              + tx
              + "; nested transactions are not supported (commit, roll back or suspend it first)");
    }
    Duration t = timeout.get();
    String gid = nodeId + ":" + Gid.random().value();
    XaTx started = new XaTx(gid, log, clock, hooks, t == null ? defaultTimeout : t, branchCalls);
    inProgress.add(gid);
    started.registerInterposedSynchronization(
        new Synchronization() {
          @Override
          public void beforeCompletion() {}

          @Override
          public void afterCompletion(int status) {
            inProgress.remove(gid);
          }
        });
    current.set(started);
  }

  @Override
  public void commit()
      throws RollbackException,
          HeuristicMixedException,
          HeuristicRollbackException,
          SystemException {
    XaTx tx = required("commit");
    try {
      tx.commit();
    } finally {
      current.remove();
    }
  }

  @Override
  public void rollback() throws SystemException {
    XaTx tx = required("rollback");
    try {
      tx.rollback();
    } finally {
      current.remove();
    }
  }

  @Override
  public void setRollbackOnly() {
    required("setRollbackOnly").setRollbackOnly();
  }

  @Override
  public int getStatus() {
    XaTx tx = current.get();
    return tx == null ? Status.STATUS_NO_TRANSACTION : tx.getStatus();
  }

  @Override
  public Transaction getTransaction() {
    return current.get();
  }

  @Override
  public void setTransactionTimeout(int seconds) throws SystemException {
    if (seconds < 0) {
      throw new SystemException(
          "transaction timeout "
              + seconds
              + " s is negative; use a positive number of seconds, or 0 for the default ("
              + defaultTimeout.toSeconds()
              + " s)");
    }
    if (seconds == 0) {
      timeout.remove();
    } else {
      timeout.set(Duration.ofSeconds(seconds));
    }
  }

  @Override
  public Transaction suspend() {
    XaTx tx = current.get();
    current.remove();
    return tx;
  }

  @Override
  public void resume(Transaction tx) throws InvalidTransactionException {
    if (!(tx instanceof XaTx xa)) {
      throw new InvalidTransactionException(
          "resume: "
              + tx
              + " was not begun by this transaction manager; pass what suspend() returned");
    }
    if (current.get() != null) {
      throw new IllegalStateException(
          "resume: this thread already runs " + current.get() + "; suspend it first");
    }
    current.set(xa);
  }

  // --- TransactionSynchronizationRegistry ---

  @Override
  public Object getTransactionKey() {
    XaTx tx = current.get();
    return tx == null ? null : tx.gid();
  }

  @Override
  public void putResource(Object key, Object value) {
    required("putResource").putResource(key, value);
  }

  @Override
  public Object getResource(Object key) {
    return required("getResource").getResource(key);
  }

  @Override
  public void registerInterposedSynchronization(Synchronization sync) {
    required("registerInterposedSynchronization").registerInterposedSynchronization(sync);
  }

  @Override
  public int getTransactionStatus() {
    return getStatus();
  }

  @Override
  public boolean getRollbackOnly() {
    return required("getRollbackOnly").isRollbackOnly();
  }

  private XaTx required(String operation) {
    XaTx tx = current.get();
    if (tx == null) {
      throw new IllegalStateException(
          operation + ": no transaction on this thread; call begin() first");
    }
    return tx;
  }

  /**
   * Stops the repeated recoveries this manager started, and closes the log if the builder was told
   * to ({@link Builder#closeStoreOnClose}).
   */
  @Override
  public void close() {
    repeatedRecoveries.forEach(Scheduler.Cancellable::cancel);
    repeatedRecoveries.clear();
    if (branchThreads != null) {
      branchThreads.shutdown(); // a transaction still committing runs its calls on its own thread
    }
    // The COMMITTED records still waiting for a ride: written now, and awaited before the store
    // may close (a failure is logged; recovery writes what is missing).
    for (CompletableFuture<?> write : log.writeWaitingCompletions()) {
      write.exceptionally(e -> null).join();
    }
    if (ownsScheduler) {
      scheduler.close();
    }
    if (closeStore) {
      store.close();
    }
  }

  /** Options of a manager; every one has a default. */
  public static final class Builder {
    private final TransactionStore store;
    private String nodeId = DEFAULT_NODE_ID;
    private Duration defaultTimeout = DEFAULT_TIMEOUT;
    private Clock clock = Clock.systemUTC();
    private XaHooks hooks = XaHooks.NONE;
    private Scheduler scheduler;
    private boolean closeStore;
    private boolean branchesInParallel = true;

    private Builder(TransactionStore store) {
      this.store = Objects.requireNonNull(store, "store: pass the log the decisions go to");
    }

    /**
     * This manager's identity in Xids and the log; recovery touches only Xids with it. Two
     * processes must never share one, and a restarted process must keep its own. 1-31 of {@code A-Z
     * a-z 0-9 _ -}; default "xa".
     */
    public Builder nodeId(String value) {
      if (value == null || !NODE_ID.matcher(value).matches()) {
        throw new IllegalArgumentException(
            "nodeId '"
                + value
                + "' is not 1-31 letters, digits, '_' or '-'; it goes into every Xid, which XA"
                + " limits to 64 bytes");
      }
      this.nodeId = value;
      return this;
    }

    /** Timeout of transactions begun without {@code setTransactionTimeout}; default 60 s. */
    public Builder defaultTimeout(Duration value) {
      if (value == null || value.isNegative() || value.isZero() || value.toSeconds() < 1) {
        throw new IllegalArgumentException(
            "defaultTimeout " + value + " must be at least 1 second, e.g. Duration.ofSeconds(60)");
      }
      this.defaultTimeout = value;
      return this;
    }

    /** The clock deadlines are measured on; tests pass a MutableClock. */
    public Builder clock(Clock value) {
      this.clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    /**
     * Where a COMMITTED record that no commit decision came to carry is written from (once it has
     * waited 200 ms, at most 400); default a daemon thread of the manager's own, stopped by {@link
     * #close}.
     */
    public Builder scheduler(Scheduler value) {
      this.scheduler = Objects.requireNonNull(value, "scheduler");
      return this;
    }

    /** Fault injection and observation for tests; default {@link XaHooks#NONE}. */
    public Builder hooks(XaHooks value) {
      this.hooks = Objects.requireNonNull(value, "hooks");
      return this;
    }

    /**
     * Whether prepare and commit go to a transaction's resources at once (default) or one after the
     * other. At once, a transaction over two databases waits for the slower disk flush rather than
     * for both — while no more transactions are in a phase together than the machine has cores;
     * beyond that they go one after the other anyway, since the callers already keep the cores
     * busy. {@code false} suits a driver whose {@code XAResource} must not be called from a thread
     * other than the one that enlisted it.
     */
    public Builder branchesInParallel(boolean value) {
      this.branchesInParallel = value;
      return this;
    }

    /** Whether {@link #close} closes the store too; default false. */
    public Builder closeStoreOnClose(boolean value) {
      this.closeStore = value;
      return this;
    }

    /** Opens the store (creates or migrates its schema) and returns the manager. */
    public XaTransactionManager build() {
      store.open();
      return new XaTransactionManager(this);
    }
  }
}
