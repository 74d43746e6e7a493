package dev.cohort.messaging;

import dev.cohort.api.Scheduler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes what the outbox's local transactions committed. Each round reads the oldest PENDING
 * rows, publishes the due ones in write order and waits for the broker's confirms, then marks them
 * SENT. Per aggregate key the order holds: a key whose oldest pending message waits for a retry, or
 * has a DEAD one, publishes nothing newer. A failed publish is tried again with exponential
 * backoff; after the last attempt the message becomes DEAD, counted in {@link #stats()} and listed
 * by {@link Outbox#deadLetters}.
 *
 * <p>Delivery is at least once: a relay that dies after the broker confirmed and before it marked
 * the rows publishes them again, and the consumer's {@link Inbox} skips them. Run one relay per
 * outbox table; a second one would publish the same rows too (harmless through the inbox, but the
 * per-key order would no longer hold).
 */
public final class Relay implements AutoCloseable {
  public static final int DEFAULT_BATCH_SIZE = 256;
  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(200);
  public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofSeconds(1);
  public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofMinutes(5);
  public static final int DEFAULT_MAX_ATTEMPTS = 12;
  public static final int DEFAULT_MAX_IN_FLIGHT = 4;

  private static final Logger LOG = LoggerFactory.getLogger(Relay.class);

  private final Outbox outbox;
  private final Broker broker;
  private final Clock clock;
  private final Scheduler scheduler;
  private final int batchSize;
  private final Duration pollInterval;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final int maxAttempts;
  private final int maxInFlight;
  private final boolean ownsScheduler;
  private final AtomicLong published = new AtomicLong();
  private final AtomicLong failedAttempts = new AtomicLong();
  private final AtomicLong deadLettered = new AtomicLong();
  private final RelayLease lease;
  private Scheduler.Cancellable running;

  /** Marks and reads for {@link #drain} while the relay's thread waits for the broker. */
  private final ExecutorService database =
      Executors.newSingleThreadExecutor(
          Thread.ofPlatform().daemon().name("cohort-relay-db").factory());

  private Relay(Builder b) {
    this.outbox = b.outbox;
    this.broker = b.broker;
    this.clock = b.clock != null ? b.clock : outbox.clock();
    this.ownsScheduler = b.scheduler == null;
    this.scheduler = ownsScheduler ? Scheduler.system("cohort-relay") : b.scheduler;
    this.batchSize = b.batchSize;
    this.pollInterval = b.pollInterval;
    this.initialBackoff = b.initialBackoff;
    this.maxBackoff = b.maxBackoff;
    this.maxAttempts = b.maxAttempts;
    this.maxInFlight = b.maxInFlight;
    this.lease =
        b.leaseOwner == null
            ? null
            : new RelayLease(outbox.tables(), b.leaseOwner, b.leaseTtl, this.clock);
  }

  public static Builder builder(Outbox outbox, Broker broker) {
    return new Builder(outbox, broker);
  }

  /** What one round did. */
  public record Round(int published, int failed, int deadLettered) {
    public boolean idle() {
      return published + failed + deadLettered == 0;
    }
  }

  /** One round; tests and callers with their own loop drive it directly. */
  public Round runOnce() {
    Published p = publish(readDue(Set.of()));
    if (!p.batch().isEmpty()) {
      markSent(p.batch());
    }
    return p.round();
  }

  /** The rows a round publishes, read at {@code now}. */
  private record Due(List<OutboxEntry> batch, Instant now, boolean heldByFlight) {
    static final Due NONE = new Due(List.of(), Instant.EPOCH, false);
  }

  /**
   * A round's publish: the rows the broker confirmed (still PENDING until marked) and the tally.
   */
  private record Published(List<OutboxEntry> batch, Round round) {
    static final Published NOTHING = new Published(List.of(), new Round(0, 0, 0));
  }

  /**
   * The due rows, leaving out {@code leaveOut} (rows published or being published whose mark may
   * not have committed yet); none while another relay holds the lease.
   */
  private Due readDue(Set<Long> leaveOut) {
    return readDue(leaveOut, Set.of(), outbox::deadKeys);
  }

  /**
   * The due rows, as above, holding back every key of {@code heldKeys} (keys in flight) and the
   * later rows of the keys in {@code deadSince} (key → seq of its first DEAD row).
   */
  private Due readDue(
      Set<Long> leaveOut, Set<String> heldKeys, Supplier<Map<String, Long>> deadSince) {
    if (lease != null && !lease.acquire()) {
      return Due.NONE; // another relay publishes this outbox now
    }
    Instant now = clock.instant();
    boolean[] heldByFlight = new boolean[1];
    List<OutboxEntry> batch = due(now, leaveOut, heldKeys, deadSince, heldByFlight);
    return new Due(batch, now, heldByFlight[0]);
  }

  /** Publishes the rows and waits for the broker; a failed publish is recorded here. */
  private Published publish(Due due) {
    List<OutboxEntry> batch = due.batch();
    if (batch.isEmpty()) {
      return Published.NOTHING;
    }
    List<Message> messages = new ArrayList<>(batch.size());
    for (OutboxEntry e : batch) {
      messages.add(e.message());
    }
    try {
      broker.publish(messages);
    } catch (BrokerException e) {
      return new Published(List.of(), failed(batch, due.now(), e));
    }
    return new Published(batch, new Round(batch.size(), 0, 0));
  }

  private void markSent(List<OutboxEntry> batch) {
    outbox.markSent(batch);
    published.addAndGet(batch.size());
  }

  /** The due rows in write order, a key's rows only up to its first one not due (or dead). */
  private List<OutboxEntry> due(
      Instant now,
      Set<Long> leaveOut,
      Set<String> heldKeys,
      Supplier<Map<String, Long>> deadKeys,
      boolean[] heldByFlight) {
    Set<String> held = new HashSet<>(heldKeys);
    List<OutboxEntry> due = new ArrayList<>();
    // Rows being published, or published with their mark not committed yet, are left out.
    List<OutboxEntry> pending = outbox.pending(batchSize, leaveOut);
    // Asked only when something is pending: an idle poll is one query.
    Map<String, Long> deadSince = pending.isEmpty() ? Map.of() : deadKeys.get();
    for (OutboxEntry e : pending) {
      String key = e.message().key();
      if (heldKeys.contains(key)) {
        heldByFlight[0] = true; // due, perhaps, once its key's batch in flight is confirmed
        continue;
      }
      Long dead = deadSince.get(key);
      if (held.contains(key) || (dead != null && dead < e.seq())) {
        continue;
      }
      if (e.nextAttemptAt().isAfter(now)) {
        held.add(key); // its later messages wait behind it
        continue;
      }
      if (due.size() == batchSize) {
        break;
      }
      due.add(e);
    }
    return due;
  }

  private Round failed(List<OutboxEntry> batch, Instant now, BrokerException cause) {
    String error = cause.getMessage() == null ? cause.toString() : cause.getMessage();
    int retried = 0;
    int dead = 0;
    for (OutboxEntry e : batch) {
      int attempts = e.attempts() + 1;
      Instant next = attempts >= maxAttempts ? null : now.plus(backoff(attempts));
      if (outbox.markFailed(e, attempts, next, error)) {
        if (next == null) {
          dead++;
          LOG.warn(
              "outbox message {} ({}) is dead after {} attempts: {}",
              e.message().id(),
              e.message().type(),
              attempts,
              error);
        } else {
          retried++;
        }
      }
    }
    failedAttempts.addAndGet(retried);
    deadLettered.addAndGet(dead);
    LOG.debug("publishing {} messages failed: {}", batch.size(), error);
    return new Round(0, retried, dead);
  }

  /** The wait before attempt {@code attempts + 1}: doubling from the initial, capped. */
  Duration backoff(int attempts) {
    Duration d = initialBackoff;
    for (int i = 1; i < attempts && d.compareTo(maxBackoff) < 0; i++) {
      d = d.multipliedBy(2);
    }
    return d.compareTo(maxBackoff) > 0 ? maxBackoff : d;
  }

  /** Runs rounds every poll interval on the scheduler (back to back while reads find rows). */
  public synchronized Relay start() {
    if (running == null) {
      running = scheduler.scheduleRepeatedly(pollInterval, this::drain);
    }
    return this;
  }

  /** A batch handed to the broker, waiting for its confirms. */
  private record InFlight(
      Due due, Set<Long> seqs, Set<String> keys, CompletableFuture<Void> done) {}

  /** How long a drain trusts its read of the dead keys before it reads them again. */
  static final Duration DEAD_KEYS_TTL = Duration.ofSeconds(1);

  /**
   * Rounds back to back while reads find rows, pipelined: up to {@code maxInFlight} batches are
   * published and waiting for the broker's confirms at once ({@link Broker#publishAsync}). After a
   * read that found rows the next one follows at once while there is room in flight, so the rows
   * committed meanwhile go out without waiting for the confirms of the ones before them; otherwise
   * the drain waits for the oldest batch's confirms, and reads again after it if the last read
   * found rows or left some only for their key's batch in flight. A batch is marked SENT on the
   * relay's database thread once every one of its messages was confirmed, in confirm order, while
   * the next ones are read and published. A read leaves out the rows in flight or being marked, and
   * holds back every key that has a row in flight, so a key has at most one unconfirmed batch: its
   * order holds whatever happens to the others. The drain ends when a read finds nothing and
   * nothing is in flight. When a batch fails, it is recorded as a failed attempt (backoff), nothing
   * more is read, the batches still in flight are settled, and the drain ends. A mark that fails
   * leaves its rows PENDING: they are published again later and the inbox skips them; the drain
   * then ends with the failure once its other marks are done.
   */
  private void drain() {
    Deque<InFlight> inFlight = new ArrayDeque<>();
    Set<Long> marking = ConcurrentHashMap.newKeySet(); // confirmed, mark not committed yet
    Deque<Future<?>> marks = new ArrayDeque<>();
    // A row becomes DEAD only by this relay's failed publish, which ends the drain; an operator's
    // retry or discard meanwhile holds a key back until the dead keys are read again.
    Supplier<Map<String, Long>> deadKeys = expiring(outbox::deadKeys, DEAD_KEYS_TTL);
    try {
      boolean lookAgain = true; // more rows may be due now
      boolean found = false; // the last read found rows: more may have been committed since
      boolean held = false; // the last read left rows only for their key's batch in flight
      boolean failed = false;
      while (!Thread.currentThread().isInterrupted()) {
        if (lookAgain && !failed && inFlight.size() < maxInFlight) {
          Due due = readDue(leaveOut(inFlight, marking), keys(inFlight), deadKeys);
          found = !due.batch().isEmpty();
          held = due.heldByFlight();
          lookAgain = found;
          if (found) {
            inFlight.add(publishAsync(due));
            continue;
          }
        }
        InFlight head = inFlight.poll();
        if (head == null) {
          break;
        }
        Published p = await(head);
        if (p.batch().isEmpty()) {
          failed = true; // the ones in flight are settled, nothing more is read
          continue;
        }
        marks.add(submitMark(p.batch(), marking));
        settled(marks);
        lookAgain = found || held;
      }
    } finally {
      awaitMarks(marks);
    }
  }

  /** Drops the marks at the head that are done; rethrows the failure of one that failed. */
  private static void settled(Deque<Future<?>> marks) {
    while (!marks.isEmpty() && marks.peek().isDone()) {
      awaitMark(marks.poll());
    }
  }

  /** Waits for every mark; the first failure is rethrown after all of them ended. */
  private static void awaitMarks(Deque<Future<?>> marks) {
    RuntimeException failure = null;
    for (Future<?> mark : marks) {
      try {
        awaitMark(mark);
      } catch (RuntimeException e) {
        if (failure == null) {
          failure = e;
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  /** The supplier's value, asked again once it is older than {@code ttl}. */
  private static <T> Supplier<T> expiring(Supplier<T> supplier, Duration ttl) {
    long ttlNanos = ttl.toNanos();
    return new Supplier<>() {
      private T value;
      private long readAt;

      @Override
      public T get() {
        long now = System.nanoTime();
        if (value == null || now - readAt >= ttlNanos) {
          value = supplier.get();
          readAt = now;
        }
        return value;
      }
    };
  }

  private InFlight publishAsync(Due due) {
    List<OutboxEntry> batch = due.batch();
    List<Message> messages = new ArrayList<>(batch.size());
    Set<String> keys = new HashSet<>();
    for (OutboxEntry e : batch) {
      messages.add(e.message());
      keys.add(e.message().key());
    }
    CompletableFuture<Void> done;
    try {
      done = broker.publishAsync(messages);
    } catch (RuntimeException e) {
      done = CompletableFuture.failedFuture(e);
    }
    return new InFlight(due, seqs(batch), keys, done);
  }

  /** Waits for a batch's confirms: the batch to mark, or none when it failed (recorded here). */
  private Published await(InFlight f) {
    List<OutboxEntry> batch = f.due().batch();
    try {
      f.done().get();
      return new Published(batch, new Round(batch.size(), 0, 0));
    } catch (ExecutionException e) {
      BrokerException cause =
          e.getCause() instanceof BrokerException b
              ? b
              : new BrokerException("publishing failed: " + e.getCause(), e.getCause());
      return new Published(List.of(), failed(batch, f.due().now(), cause));
    } catch (InterruptedException e) {
      // close(): unconfirmed, so not marked; the rows go out again and the inbox skips them.
      Thread.currentThread().interrupt();
      return new Published(List.of(), new Round(0, 0, 0));
    }
  }

  private static Set<Long> leaveOut(Deque<InFlight> inFlight, Set<Long> marking) {
    Set<Long> leaveOut = new HashSet<>(marking);
    for (InFlight f : inFlight) {
      leaveOut.addAll(f.seqs());
    }
    return leaveOut;
  }

  private static Set<String> keys(Deque<InFlight> inFlight) {
    Set<String> keys = new HashSet<>();
    for (InFlight f : inFlight) {
      keys.addAll(f.keys());
    }
    return keys;
  }

  private Future<?> submitMark(List<OutboxEntry> batch, Set<Long> marking) {
    Set<Long> seqs = seqs(batch);
    marking.addAll(seqs);
    Runnable task =
        () -> {
          try {
            markSent(batch);
          } finally {
            marking.removeAll(seqs); // marked, or left PENDING to go out again
          }
        };
    try {
      return database.submit(task);
    } catch (RejectedExecutionException closing) {
      task.run(); // close() came during the drain: mark here rather than publish them twice
      return CompletableFuture.completedFuture(null);
    }
  }

  private static Set<Long> seqs(List<OutboxEntry> batch) {
    Set<Long> seqs = new HashSet<>(batch.size() * 2);
    for (OutboxEntry e : batch) {
      seqs.add(e.seq());
    }
    return seqs;
  }

  private static void awaitMark(Future<?> marking) {
    try {
      marking.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r; // the rows stay PENDING and go out again; the inbox skips them
      }
      throw new MessagingException("marking a batch sent failed", e.getCause());
    } catch (InterruptedException e) {
      // close() stops the scheduler; the mark finishes on the marking thread (shut down, not
      // interrupted), and if it does not, its rows go out again and the inbox skips them.
      Thread.currentThread().interrupt();
    }
  }

  public RelayStats stats() {
    return new RelayStats(published.get(), failedAttempts.get(), deadLettered.get());
  }

  /** Stops the rounds; the outbox and the broker stay open (they are the caller's). */
  @Override
  public synchronized void close() {
    if (running != null) {
      running.cancel();
      running = null;
    }
    if (ownsScheduler) {
      scheduler.close();
    }
    database.shutdown();
    if (lease != null) {
      try {
        lease.release();
      } catch (MessagingException e) {
        // The lease then runs out on its own; another relay takes over after its ttl.
        LOG.warn("could not release the relay lease of {}", lease.owner(), e);
      }
    }
  }

  /** Settings of a {@link Relay}; every one has a default. */
  public static final class Builder {
    private final Outbox outbox;
    private final Broker broker;
    private String leaseOwner;
    private Duration leaseTtl;
    private Clock clock;
    private Scheduler scheduler;
    private int batchSize = DEFAULT_BATCH_SIZE;
    private Duration pollInterval = DEFAULT_POLL_INTERVAL;
    private Duration initialBackoff = DEFAULT_INITIAL_BACKOFF;
    private Duration maxBackoff = DEFAULT_MAX_BACKOFF;
    private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
    private int maxInFlight = DEFAULT_MAX_IN_FLIGHT;

    private Builder(Outbox outbox, Broker broker) {
      this.outbox = Objects.requireNonNull(outbox, "outbox must not be null");
      this.broker = Objects.requireNonNull(broker, "broker must not be null");
    }

    /**
     * Guards the outbox with a lease (the {@code relay_lease} table) so that several relays on it —
     * one per replica of the service — never publish at once: the one holding the lease publishes
     * and renews it every round until now + {@code ttl}; the others skip their rounds, and take
     * over once it expired (its relay died) or was released ({@link #close()}). A round must take
     * less than {@code ttl}. Off by default: a single relay needs no lease.
     *
     * @param owner this relay's name, unique among the relays of the outbox (e.g. the host name)
     */
    public Builder lease(String owner, Duration ttl) {
      if (owner == null || owner.isBlank() || owner.length() > Message.MAX_ID_LENGTH) {
        throw new IllegalArgumentException(
            "the lease owner must be 1-"
                + Message.MAX_ID_LENGTH
                + " characters naming this relay, e.g. the host name, was '"
                + owner
                + "'");
      }
      if (ttl == null || ttl.isNegative() || ttl.isZero()) {
        throw new IllegalArgumentException(
            "the lease ttl must be positive (longer than a round), was " + ttl);
      }
      this.leaseOwner = owner;
      this.leaseTtl = ttl;
      return this;
    }

    /** Decides when a retry is due; default the outbox's clock. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock must not be null");
      return this;
    }

    /** Runs the rounds after {@link Relay#start()}; default a scheduler of its own. */
    public Builder scheduler(Scheduler scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler must not be null");
      return this;
    }

    public Builder batchSize(int batchSize) {
      if (batchSize < 1) {
        throw new IllegalArgumentException("batchSize is " + batchSize + "; it must be >= 1");
      }
      this.batchSize = batchSize;
      return this;
    }

    public Builder pollInterval(Duration pollInterval) {
      this.pollInterval = positive("pollInterval", pollInterval);
      return this;
    }

    /** The wait after the first failed attempt; it doubles up to {@code max}. */
    public Builder backoff(Duration initial, Duration max) {
      positive("initial backoff", initial);
      positive("max backoff", max);
      if (max.compareTo(initial) < 0) {
        throw new IllegalArgumentException(
            "max backoff " + max + " is shorter than the initial " + initial + "; swap them");
      }
      this.initialBackoff = initial;
      this.maxBackoff = max;
      return this;
    }

    /** Attempts before a message becomes DEAD, default {@value Relay#DEFAULT_MAX_ATTEMPTS}. */
    public Builder maxAttempts(int maxAttempts) {
      if (maxAttempts < 1) {
        throw new IllegalArgumentException("maxAttempts is " + maxAttempts + "; it must be >= 1");
      }
      this.maxAttempts = maxAttempts;
      return this;
    }

    /**
     * Batches a started relay keeps published and waiting for the broker's confirms at once,
     * default {@value Relay#DEFAULT_MAX_IN_FLIGHT}; 1 waits for each batch's confirms before the
     * next is published. Batches in flight at once have no aggregate key in common.
     */
    public Builder maxInFlight(int maxInFlight) {
      if (maxInFlight < 1) {
        throw new IllegalArgumentException("maxInFlight is " + maxInFlight + "; it must be >= 1");
      }
      this.maxInFlight = maxInFlight;
      return this;
    }

    public Relay build() {
      return new Relay(this);
    }

    private static Duration positive(String name, Duration d) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " is " + d + "; it must be positive");
      }
      return d;
    }
  }
}
