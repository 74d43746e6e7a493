package dev.cohort.testing;

import dev.cohort.client.Cohort;
import dev.cohort.coordinator.Coordinator;
import dev.cohort.coordinator.CoordinatorOptions;
import dev.cohort.coordinator.SagaStep;
import dev.cohort.coordinator.TccParticipant;
import dev.cohort.coordinator.http.HttpParticipant;
import dev.cohort.coordinator.mode.ModeProcessorFactory;
import dev.cohort.coordinator.mode.ParticipantKind;
import dev.cohort.embedded.EmbeddedCohort;
import dev.cohort.protocol.HttpTarget;
import dev.cohort.store.jdbc.JdbcTransactionStore;
import dev.cohort.testing.internal.TempFiles;
import dev.cohort.testing.time.ManualScheduler;
import dev.cohort.testing.time.MutableClock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A real coordinator for tests: the engine on an SQLite log file, with a {@link MutableClock} and a
 * {@link ManualScheduler}, so retries, try-phase deadlines and polls run only when the test calls
 * {@link #advance}, on the test's thread. {@link #restart()} opens a new engine on the same log, as
 * a restarted process would.
 *
 * <pre>{@code
 * try (TestCoordinator env = TestCoordinator.builder().registerTcc("stock", stock).start()) {
 *   Outcome o = env.cohort().run(Mode.TCC, List.of(Branch.inProcess("b1", "stock", "{}")));
 *   env.advance(Duration.ofMinutes(1));   // due retries run now
 * }
 * }</pre>
 *
 * Not thread-safe: one test thread drives it (participants may be called on other threads).
 */
public final class TestCoordinator implements AutoCloseable {
  /** Where the clock starts unless {@link Builder#startAt} says otherwise. */
  public static final Instant DEFAULT_START = Instant.parse("2026-01-01T00:00:00Z");

  /**
   * The engine's defaults without backoff jitter, so a test knows when each retry is due: 100 ms,
   * 200 ms, ... up to 1 min.
   */
  public static final CoordinatorOptions DEFAULT_OPTIONS =
      CoordinatorOptions.newBuilder().jitter(0.0).build();

  private final Path logFile;
  private final Path ownedDirectory;
  private final CoordinatorOptions options;
  private final Map<String, TccParticipant> tcc;
  private final Map<String, SagaStep> saga;
  private final MutableClock clock;
  private final List<ModeProcessorFactory> modes;
  private final List<Consumer<Coordinator>> registrations;
  private ManualScheduler scheduler;
  private JdbcTransactionStore log;
  private Coordinator coordinator;
  private Cohort cohort;

  private TestCoordinator(Builder b, Path logFile, Path ownedDirectory) {
    this.logFile = logFile;
    this.ownedDirectory = ownedDirectory;
    this.options = b.options;
    this.tcc = new LinkedHashMap<>(b.tcc);
    this.saga = new LinkedHashMap<>(b.saga);
    this.clock = new MutableClock(b.start);
    this.modes = List.copyOf(b.modes);
    this.registrations = List.copyOf(b.registrations);
  }

  public static Builder builder() {
    return new Builder();
  }

  private void open() {
    scheduler = new ManualScheduler(clock);
    log = JdbcTransactionStore.sqlite(logFile);
    Coordinator.Builder builder =
        Coordinator.builder(log)
            .options(options)
            .clock(clock)
            .scheduler(scheduler)
            // Retries found by the poll run on the thread that advances time, so a test sees
            // their effect as soon as advance() returns.
            .deliveryExecutor(Runnable::run);
    modes.forEach(builder::mode);
    Coordinator c = builder.build();
    tcc.forEach(c::registerTcc);
    saga.forEach(c::registerSagaStep);
    registrations.forEach(r -> r.accept(c));
    try {
      c.start();
    } catch (RuntimeException e) {
      c.close();
      log.close();
      throw e;
    }
    coordinator = c;
    cohort = EmbeddedCohort.of(c);
  }

  /** The running engine (a new one after {@link #restart()}). */
  public Coordinator coordinator() {
    return coordinator;
  }

  /** The SDK over the running engine (a new one after {@link #restart()}). */
  public Cohort cohort() {
    return cohort;
  }

  public MutableClock clock() {
    return clock;
  }

  /** The running engine's scheduler (a new one after {@link #restart()}). */
  public ManualScheduler scheduler() {
    return scheduler;
  }

  public Path logFile() {
    return logFile;
  }

  /**
   * Moves time forward by {@code by}, stopping at each scheduled task's due time to run it there:
   * retries, polls and try-phase deadlines run as they would have in real time, on this thread.
   */
  public TestCoordinator advance(Duration by) {
    Objects.requireNonNull(by, "by");
    if (by.isNegative()) {
      throw new IllegalArgumentException("time only moves forward; advance(" + by + ") is not");
    }
    scheduler.advanceInSteps(by);
    return this;
  }

  /**
   * Closes the engine and its log and starts a new engine on the same log file with the same
   * participants and node id; its start resumes every transaction the log holds unfinished. What
   * the closed engine had scheduled (retries, polls) is dropped, as a process exit would drop it.
   */
  public TestCoordinator restart() {
    closeEngine();
    open();
    return this;
  }

  private void closeEngine() {
    if (coordinator != null) {
      coordinator.close();
      coordinator = null;
    }
    if (log != null) {
      log.close();
      log = null;
    }
    if (scheduler != null) {
      scheduler.close();
    }
  }

  /** Closes the engine and the log, and deletes the log's directory if this created it. */
  @Override
  public void close() {
    closeEngine();
    if (ownedDirectory != null) {
      TempFiles.deleteTree(ownedDirectory);
    }
  }

  /** Settings of a {@link TestCoordinator}; every one has a default. */
  public static final class Builder {
    private Path logFile;
    private Instant start = DEFAULT_START;
    private CoordinatorOptions options = DEFAULT_OPTIONS;
    private final Map<String, TccParticipant> tcc = new LinkedHashMap<>();
    private final Map<String, SagaStep> saga = new LinkedHashMap<>();
    private final List<ModeProcessorFactory> modes = new ArrayList<>();
    private final List<Consumer<Coordinator>> registrations = new ArrayList<>();

    private Builder() {}

    /** A mode beyond TCC and saga, e.g. {@code CommitModes.twoPhase()}; added again on restart. */
    public Builder mode(ModeProcessorFactory factory) {
      modes.add(Objects.requireNonNull(factory, "factory"));
      return this;
    }

    /** A participant of a plugged-in mode, registered again on every {@link #restart()}. */
    public <T> Builder participant(ParticipantKind<T> kind, String name, T participant) {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(participant, "participant");
      String checked = requireName(name);
      registrations.add(c -> c.registerParticipant(kind, checked, participant));
      return this;
    }

    /**
     * The SQLite log file, kept after {@link #close()}. Default: {@code log.db} in a new temporary
     * directory that {@code close()} deletes.
     */
    public Builder logFile(Path file) {
      this.logFile = Objects.requireNonNull(file, "file");
      return this;
    }

    /** Where the clock starts. Default {@link #DEFAULT_START}. */
    public Builder startAt(Instant instant) {
      this.start = Objects.requireNonNull(instant, "instant");
      return this;
    }

    /** The engine's options. Default {@link #DEFAULT_OPTIONS}. */
    public Builder options(CoordinatorOptions value) {
      this.options = Objects.requireNonNull(value, "options");
      return this;
    }

    /** An in-process TCC participant, registered again on every {@link #restart()}. */
    public Builder registerTcc(String name, TccParticipant participant) {
      tcc.put(requireName(name), Objects.requireNonNull(participant, "participant"));
      return this;
    }

    /** An in-process saga step, registered again on every {@link #restart()}. */
    public Builder registerSagaStep(String name, SagaStep step) {
      saga.put(requireName(name), Objects.requireNonNull(step, "step"));
      return this;
    }

    /**
     * Serves HTTP branches ({@code Branch.tcc}, {@code Branch.saga}) with {@code http}, registered
     * under {@link HttpTarget#PARTICIPANT}. The caller closes it.
     */
    public Builder http(HttpParticipant http) {
      Objects.requireNonNull(http, "http");
      tcc.put(HttpTarget.PARTICIPANT, http);
      saga.put(HttpTarget.PARTICIPANT, http);
      return this;
    }

    /** Builds and starts the engine. */
    public TestCoordinator start() {
      Path owned = null;
      Path file = logFile;
      if (file == null) {
        try {
          owned = Files.createTempDirectory("cohort-test-");
        } catch (IOException e) {
          throw new UncheckedIOException("could not create a directory for the test log", e);
        }
        file = owned.resolve("log.db");
      }
      TestCoordinator environment = new TestCoordinator(this, file, owned);
      try {
        environment.open();
      } catch (RuntimeException e) {
        environment.close();
        throw e;
      }
      return environment;
    }

    private static String requireName(String name) {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException(
            "a participant needs the name its branches use, but it was '" + name + "'");
      }
      return name;
    }
  }
}
