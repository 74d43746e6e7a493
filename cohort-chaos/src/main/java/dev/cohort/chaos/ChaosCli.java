package dev.cohort.chaos;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cohort-chaos}: one chaos run against the system a {@link SystemUnderTestFactory} starts.
 * Exits {@value ChaosReport#OK} when every invariant held, {@value ChaosReport#VIOLATED} on a
 * violation, {@value ChaosReport#UNUSABLE} when the run could not be carried out.
 */
@Command(
    name = "cohort-chaos",
    mixinStandardHelpOptions = true,
    description =
        "Runs concurrent purchases while killing processes, waits until every transaction is"
            + " terminal and checks the invariants; exit 0 = passed, 1 = violations, 2 = unusable.")
public final class ChaosCli implements Callable<Integer> {
  @Option(
      names = "--system",
      required = true,
      description = "Class implementing dev.cohort.chaos.SystemUnderTestFactory.")
  String system;

  @Option(names = "--set", description = "KEY=VALUE passed to the factory (repeatable).")
  Map<String, String> settings = new LinkedHashMap<>();

  @Option(names = "--mix", required = true, description = "Modes and weights, e.g. tcc=3,saga=1.")
  String mix;

  @Option(names = "--concurrency", defaultValue = "8", description = "Concurrent callers.")
  int concurrency;

  @Option(names = "--purchases", description = "How many purchases (or give --duration).")
  Long purchases;

  @Option(names = "--duration", description = "How long to run purchases, ISO-8601 (PT10M).")
  Duration duration;

  @Option(names = "--seed", defaultValue = "1", description = "Seeds the choice of modes.")
  long seed;

  @Option(
      names = "--think-time",
      defaultValue = "PT0S",
      description = "Each caller pauses this long between purchases, ISO-8601 (PT0.3S).")
  Duration thinkTime;

  @Option(
      names = "--pause-after-failure",
      defaultValue = "PT0.2S",
      description = "A caller whose purchase failed pauses at least this long.")
  Duration pauseAfterFailure;

  @Option(
      names = "--kill-coordinator-every",
      description = "SIGKILL and restart the coordinator this often, ISO-8601 (PT10S).")
  Duration killCoordinatorEvery;

  @Option(
      names = "--kill-participant-every",
      description = "SIGKILL and restart a participant process this often, in turn.")
  Duration killParticipantEvery;

  @Option(
      names = "--participant-kills",
      defaultValue = "0",
      description = "At most this many participant kills (0: no limit).")
  int participantKills;

  @Option(
      names = "--system-faults-every",
      description =
          "Inject the system's own faults (e.g. the shop's fault switches) this often, ISO-8601.")
  Duration systemFaultsEvery;

  @Option(
      names = "--window",
      defaultValue = "PT60S",
      description = "How long to wait for every transaction to end after the workload.")
  Duration window;

  @Option(names = "--report-json", description = "Also write the JSON report to this file.")
  Path reportJson;

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command and returns its exit status (for tests and embedding). */
  public static int run(String... args) {
    CommandLine cli = new CommandLine(new ChaosCli());
    cli.setExecutionExceptionHandler((e, commandLine, parsed) -> {
      commandLine.getErr().println("cohort-chaos: the run could not be carried out: " + e);
      return ChaosReport.UNUSABLE;
    });
    cli.setParameterExceptionHandler((e, args1) -> {
      e.getCommandLine().getErr().println("cohort-chaos: " + e.getMessage());
      e.getCommandLine().usage(e.getCommandLine().getErr());
      return ChaosReport.UNUSABLE;
    });
    return cli.execute(args);
  }

  @Override
  public Integer call() throws Exception {
    Workload.Builder w =
        Workload.builder()
            .mix(mix)
            .concurrency(concurrency)
            .seed(seed)
            .thinkTime(thinkTime)
            .pauseAfterFailure(pauseAfterFailure);
    if (purchases != null) {
      w.purchases(purchases);
    }
    if (duration != null) {
      w.duration(duration);
    }
    Workload workload = w.build();
    SystemUnderTestFactory factory = factory(system);
    try (SystemUnderTest sut = factory.start(settings)) {
      ChaosChecker.Builder checker = ChaosChecker.builder(sut).workload(workload).window(window);
      if (killCoordinatorEvery != null) {
        checker.killCoordinatorEvery(killCoordinatorEvery);
      }
      if (killParticipantEvery != null) {
        checker.killParticipantEvery(killParticipantEvery, participantKills);
      }
      if (systemFaultsEvery != null) {
        checker.systemFaultsEvery(systemFaultsEvery);
      }
      ChaosReport report = checker.build().run();
      PrintWriter out =
          new PrintWriter(new java.io.OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
      out.print(report.toText());
      out.flush();
      if (reportJson != null) {
        Files.writeString(reportJson, report.toJson(), StandardCharsets.UTF_8);
      }
      return report.exitCode();
    }
  }

  private static SystemUnderTestFactory factory(String className) throws Exception {
    Class<?> type;
    try {
      type = Class.forName(className);
    } catch (ClassNotFoundException e) {
      throw new IllegalArgumentException(
          "--system " + className + " is not on the classpath; add your system's jar to -cp", e);
    }
    if (!SystemUnderTestFactory.class.isAssignableFrom(type)) {
      throw new IllegalArgumentException(
          "--system "
              + className
              + " does not implement "
              + SystemUnderTestFactory.class.getName());
    }
    return (SystemUnderTestFactory) type.getDeclaredConstructor().newInstance();
  }
}
