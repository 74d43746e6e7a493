package dev.cohort.chaos;

import dev.cohort.api.Scheduler;
import dev.cohort.chaos.internal.Attempt;
import dev.cohort.chaos.internal.CoordinatorView;
import dev.cohort.chaos.internal.FaultSchedule;
import dev.cohort.chaos.internal.Statuses;
import dev.cohort.chaos.internal.WorkloadRunner;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * One chaos run: the workload's purchases against the {@link SystemUnderTest} while the faults are
 * injected on schedule; then the faults stop, the checker waits until the coordinator has no
 * transaction of the run under way (or the window closes), and checks every invariant.
 *
 * <pre>{@code
 * ChaosReport report = ChaosChecker.builder(system)
 *     .workload(Workload.builder().mix("tcc=3,saga=1").concurrency(8).purchases(500).build())
 *     .killCoordinatorEvery(Duration.ofSeconds(3))
 *     .killParticipantEvery(Duration.ofSeconds(4), 1)
 *     .build()
 *     .run();
 * System.out.print(report.toText());
 * }</pre>
 */
public final class ChaosChecker {
  public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(60);
  public static final Duration DEFAULT_POLL = Duration.ofMillis(250);

  /** {@code maxTimes} of a fault that repeats until the workload ends. */
  public static final int UNLIMITED = 0;

  private final SystemUnderTest system;
  private final Workload workload;
  private final List<FaultSchedule.Entry> faults;
  private final Duration window;
  private final Duration poll;
  private final Clock clock;
  private final Scheduler scheduler;
  private final String gidPrefix;

  private ChaosChecker(Builder b) {
    this.system = b.system;
    this.workload = Objects.requireNonNull(b.workload, "workload: call workload(...)");
    this.faults = List.copyOf(b.faults);
    this.window = b.window;
    this.poll = b.poll;
    this.clock = b.clock;
    this.scheduler = b.scheduler;
    this.gidPrefix =
        b.gidPrefix != null
            ? b.gidPrefix
            : "chaos-" + Long.toString(clock.millis(), Character.MAX_RADIX) + "-";
    Set<String> known = system.modes().stream().map(PurchaseMode::name).collect(Collectors.toSet());
    for (String mode : workload.weights().keySet()) {
      if (!known.contains(mode)) {
        throw new IllegalArgumentException(
            "the workload names mode '"
                + mode
                + "', but the system runs only "
                + new TreeSet<>(known));
      }
    }
  }

  public static Builder builder(SystemUnderTest system) {
    return new Builder(system);
  }

  /** Every gid of this run starts with it. */
  public String gidPrefix() {
    return gidPrefix;
  }

  /** Carries the run out; violations are in the report, not thrown. */
  public ChaosReport run() throws Exception {
    List<Invariant> invariants = invariants();
    for (Invariant invariant : invariants) {
      invariant.beforeRun();
    }
    List<Scheduler> ownSchedulers = new ArrayList<>();
    FaultSchedule schedule;
    if (scheduler != null) {
      schedule = new FaultSchedule(scheduler, faults);
    } else {
      for (int i = 0; i < faults.size(); i++) {
        ownSchedulers.add(Scheduler.system("cohort-chaos-fault-" + (i + 1)));
      }
      schedule = new FaultSchedule(ownSchedulers, faults);
    }
    Instant started = clock.instant();
    List<Attempt> attempts;
    schedule.start();
    try {
      attempts = new WorkloadRunner(system, workload, clock, gidPrefix).run();
    } finally {
      schedule.stop();
      ownSchedulers.forEach(Scheduler::close);
    }
    List<String> clearErrors = new ArrayList<>();
    try {
      system.clearFaults();
    } catch (Exception e) {
      clearErrors.add("clearing the system's faults: " + e);
    }
    Instant workloadEnded = clock.instant();

    CoordinatorView coordinator = new CoordinatorView(system.coordinator(), gidPrefix);
    Duration quiescence = awaitQuiescence(coordinator, workloadEnded);
    Map<String, String> statuses = readStatuses(coordinator);
    Map<String, Boolean> coordinated =
        system.modes().stream()
            .collect(Collectors.toMap(PurchaseMode::name, PurchaseMode::coordinated));
    List<Purchase> purchases = new ArrayList<>();
    for (Attempt a : attempts) {
      boolean c = coordinated.get(a.mode());
      purchases.add(
          new Purchase(
              a.gid(), a.mode(), c, a.answer(), a.error(), c ? statuses.get(a.gid()) : null));
    }
    purchases.sort(Comparator.comparing(Purchase::gid));
    RunRecord run = new RunRecord(purchases);

    List<Violation> violations = new ArrayList<>();
    for (Invariant invariant : invariants) {
      try {
        violations.addAll(invariant.check(run));
      } catch (Exception | Error e) {
        violations.add(new Violation(invariant.name(), null, "the check itself failed: " + e));
      }
    }
    return new ChaosReport(
        gidPrefix,
        stats(purchases),
        schedule.injected(),
        Stream.concat(schedule.errors().stream(), clearErrors.stream()).toList(),
        Duration.between(started, workloadEnded),
        quiescence,
        window,
        invariants.stream().map(Invariant::name).toList(),
        violations);
  }

  private List<Invariant> invariants() {
    List<Invariant> all = new ArrayList<>();
    all.add(Invariants.everyTransactionTerminal());
    all.add(Invariants.answersKept());
    system.ledger().ifPresent(ledger -> all.add(Invariants.effectsExactlyOnce(ledger)));
    all.addAll(system.invariants());
    return all;
  }

  private Duration awaitQuiescence(CoordinatorView coordinator, Instant from)
      throws InterruptedException {
    Instant deadline = from.plus(window);
    while (true) {
      try {
        if (coordinator.unfinished() == 0 && system.settled()) {
          return Duration.between(from, clock.instant());
        }
      } catch (InterruptedException e) {
        throw e;
      } catch (Exception e) {
        // The coordinator may still be starting after its last restart, or the system could not
        // tell (its database restarting): ask again.
      }
      if (!clock.instant().isBefore(deadline)) {
        return null;
      }
      Thread.sleep(poll.toMillis());
    }
  }

  private Map<String, String> readStatuses(CoordinatorView coordinator)
      throws InterruptedException {
    RuntimeException last = null;
    Instant deadline = clock.instant().plus(window);
    while (clock.instant().isBefore(deadline)) {
      try {
        return coordinator.statuses();
      } catch (RuntimeException e) {
        last = e;
        Thread.sleep(poll.toMillis());
      }
    }
    throw new IllegalStateException(
        "could not read the run's transactions from the coordinator within " + window, last);
  }

  private Map<String, ModeStats> stats(List<Purchase> purchases) {
    Map<String, List<Purchase>> byMode =
        purchases.stream().collect(Collectors.groupingBy(Purchase::mode));
    Map<String, ModeStats> stats = new LinkedHashMap<>();
    Map<String, PurchaseMode> modes =
        system.modes().stream().collect(Collectors.toMap(PurchaseMode::name, Function.identity()));
    for (String mode : workload.weights().keySet()) {
      List<Purchase> ps = byMode.getOrDefault(mode, List.of());
      boolean c = modes.get(mode).coordinated();
      stats.put(
          mode,
          new ModeStats(
              c,
              ps.size(),
              ps.stream().filter(p -> ended(p, c, "committed")).count(),
              ps.stream().filter(p -> ended(p, c, "rolled_back")).count(),
              ps.stream().filter(p -> p.answer() == PurchaseOutcome.FAILED).count(),
              ps.stream()
                  .filter(p -> c && p.answer() == PurchaseOutcome.FAILED)
                  .filter(p -> Statuses.terminal(p.finalStatus()))
                  .count(),
              ps.stream()
                  .filter(p -> c && p.finalStatus() != null && !Statuses.terminal(p.finalStatus()))
                  .count()));
    }
    return stats;
  }

  private static boolean ended(Purchase p, boolean coordinated, String code) {
    return coordinated ? code.equals(p.finalStatus()) : code.equals(p.answer().code());
  }

  @Override
  public String toString() {
    return String.format(
        Locale.ROOT, "ChaosChecker[%s, %d faults, window %s]", gidPrefix, faults.size(), window);
  }

  public static final class Builder {
    private final SystemUnderTest system;
    private Workload workload;
    private final List<FaultSchedule.Entry> faults = new ArrayList<>();
    private Duration window = DEFAULT_WINDOW;
    private Duration poll = DEFAULT_POLL;
    private Clock clock = Clock.systemUTC();
    private Scheduler scheduler;
    private String gidPrefix;

    private Builder(SystemUnderTest system) {
      this.system = Objects.requireNonNull(system, "system");
    }

    public Builder workload(Workload value) {
      workload = Objects.requireNonNull(value, "workload");
      return this;
    }

    /** Injects {@code fault} every {@code every} while the workload runs, at most maxTimes. */
    public Builder fault(Fault fault, Duration every, int maxTimes) {
      faults.add(new FaultSchedule.Entry(fault, every, maxTimes));
      return this;
    }

    /** SIGKILLs and restarts the system's coordinator process every {@code every}. */
    public Builder killCoordinatorEvery(Duration every) {
      return killCoordinatorEvery(every, UNLIMITED);
    }

    /**
     * SIGKILLs and restarts the system's coordinator process every {@code every}, at most maxTimes
     * ({@link #UNLIMITED}: until the workload ends).
     */
    public Builder killCoordinatorEvery(Duration every, int maxTimes) {
      Restartable coordinator =
          system
              .coordinatorProcess()
              .orElseThrow(() ->
                  new IllegalArgumentException(
                      "the system offers no coordinator process to kill:"
                          + " SystemUnderTest.coordinatorProcess() is empty"));
      return fault(Fault.killAndRestart(coordinator), every, maxTimes);
    }

    /** SIGKILLs and restarts the system's participant processes in turn, at most maxTimes. */
    public Builder killParticipantEvery(Duration every, int maxTimes) {
      List<Restartable> participants = system.participantProcesses();
      if (participants.isEmpty()) {
        throw new IllegalArgumentException(
            "the system offers no participant process to kill:"
                + " SystemUnderTest.participantProcesses() is empty");
      }
      String name =
          "kill " + participants.stream().map(Restartable::name).collect(Collectors.joining("|"));
      return fault(Fault.killAndRestartInTurn(name, participants), every, maxTimes);
    }

    /**
     * Injects each of the system's own faults ({@link SystemUnderTest#faults()}) every {@code
     * every} while the workload runs, without limit.
     */
    public Builder systemFaultsEvery(Duration every) {
      List<Fault> own = system.faults();
      if (own.isEmpty()) {
        throw new IllegalArgumentException(
            "the system offers no faults of its own: SystemUnderTest.faults() is empty");
      }
      own.forEach(f -> fault(f, every, UNLIMITED));
      return this;
    }

    /** How long to wait, after the workload, for every transaction of the run to end. */
    public Builder window(Duration value) {
      window = positive(value, "window");
      return this;
    }

    /** How often the coordinator is asked while waiting. */
    public Builder pollInterval(Duration value) {
      poll = positive(value, "pollInterval");
      return this;
    }

    public Builder clock(Clock value) {
      clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    /**
     * Runs every fault (their injections then take turns); by default each fault has its own daemon
     * thread, so that one process's slow restart does not hold back another's kills.
     */
    public Builder scheduler(Scheduler value) {
      scheduler = Objects.requireNonNull(value, "scheduler");
      return this;
    }

    /** The start of every gid of the run; by default {@code chaos-<time in base 36>-}. */
    public Builder gidPrefix(String value) {
      if (value == null || !value.matches("[A-Za-z0-9._:-]{1,64}")) {
        throw new IllegalArgumentException(
            "gidPrefix must be 1-64 characters [A-Za-z0-9._:-], was '" + value + "'");
      }
      gidPrefix = value;
      return this;
    }

    public ChaosChecker build() {
      return new ChaosChecker(this);
    }

    private static Duration positive(Duration value, String name) {
      Objects.requireNonNull(value, name);
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(name + " must be positive, was " + value);
      }
      return value;
    }
  }
}
