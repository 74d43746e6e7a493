package dev.cohort.server.cli;

import dev.cohort.coordinator.http.HttpParticipant;
import dev.cohort.coordinator.http.HttpPoster;
import dev.cohort.messagemode.HttpMessageParticipant;
import dev.cohort.messagemode.ReliableMessageMode;
import dev.cohort.protocol.TrustedCertificates;
import dev.cohort.server.CohortServer;
import dev.cohort.server.ServerMetrics;
import dev.cohort.server.internal.HelidonPoster;
import dev.cohort.server.internal.SocketPoster;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.bridge.SLF4JBridgeHandler;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code cohort} command line: {@code cohort server} runs the standalone coordinator, {@code
 * cohort tx ...} is the operator's client of a running one. Exit codes: 0 ok, 1 the server refused
 * the request (4xx), 2 usage error, 3 server unreachable or failing (5xx).
 */
@Command(
    name = "cohort",
    mixinStandardHelpOptions = true,
    version = "cohort 0.1.0",
    description = "Cohort's standalone coordinator, its operator client and its schema.",
    subcommands = {ServeCommand.class, TxCommand.class, MessagesCommand.class, SchemaCommand.class})
public final class CohortCli implements Runnable {
  public static final int OK = 0;
  public static final int REFUSED = 1;
  public static final int USAGE = 2;
  public static final int UNAVAILABLE = 3;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    routeJavaUtilLoggingToSlf4j();
    int code =
        run(
            new PrintWriter(System.out, true, java.nio.charset.Charset.defaultCharset()),
            new PrintWriter(System.err, true, java.nio.charset.Charset.defaultCharset()),
            System.getenv(),
            CohortCli::wireHttpParticipant,
            args);
    // Exit only on failure: `cohort server` returns 0 from within the shutdown hook's shutdown,
    // where System.exit would block.
    if (code != OK) {
      System.exit(code);
    }
  }

  /**
   * Helidon (and the JDK's HTTP client) log through java.util.logging; without the bridge their
   * lines would bypass logback.xml in JUL's own two-line format. Logback's LevelChangePropagator
   * (in logback.xml) keeps JUL's levels in step, so filtered-out records are not built at all.
   */
  private static void routeJavaUtilLoggingToSlf4j() {
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install();
  }

  /** The production wiring: cohort-client's HttpParticipant, signed when a key was given. */
  static void wireHttpParticipant(
      CohortServer.Builder builder, ParticipantCalls calls, ServerMetrics metrics) {
    HttpParticipant.Builder participant =
        HttpParticipant.builder().callTimeout(calls.callTimeout()).observer(metrics::onBranchCall);
    poster(calls).ifPresent(participant::poster);
    if (calls.signer() == null) {
      participant.unsigned();
    } else {
      participant.signer(calls.signer());
    }
    HttpParticipant http = participant.build();
    builder.httpParticipant(http);
    // Reliable messages over HTTP: the check-back and the receivers, through the same calls.
    HttpMessageParticipant message = HttpMessageParticipant.over(http);
    builder
        .httpParticipant(ReliableMessageMode.CHECKS, message)
        .httpParticipant(ReliableMessageMode.RECEIVERS, message);
  }

  /** A new poster as the options say; empty: the callers' own JDK default. */
  private static Optional<HttpPoster> poster(ParticipantCalls calls) {
    Path trusted = calls.trustedCertificates();
    if (calls.client() == ParticipantClient.HELIDON || calls.client() == ParticipantClient.SOCKET) {
      HelidonPoster helidon =
          new HelidonPoster(
              HttpParticipant.DEFAULT_CONNECT_TIMEOUT,
              trusted == null ? List.of() : TrustedCertificates.read(trusted));
      return Optional.of(
          calls.client() == ParticipantClient.SOCKET
              ? new SocketPoster(HttpParticipant.DEFAULT_CONNECT_TIMEOUT, helidon)
              : helidon);
    }
    if (trusted != null) {
      return Optional.of(
          HttpPoster.jdk(
              HttpParticipant.DEFAULT_CONNECT_TIMEOUT, TrustedCertificates.sslContext(trusted)));
    }
    return Optional.empty();
  }

  /**
   * Runs one command line; what a test calls.
   *
   * @param env the environment ({@code COHORT_TOKEN})
   * @param wiring how {@code cohort server} gets the participant that calls branch URLs
   */
  public static int run(
      PrintWriter out,
      PrintWriter err,
      Map<String, String> env,
      ParticipantWiring wiring,
      String... args) {
    CommandLine cli =
        new CommandLine(new CohortCli(), new Factory(env, wiring))
            .setOut(out)
            .setErr(err)
            .setCaseInsensitiveEnumValuesAllowed(true);
    cli.setExecutionExceptionHandler((e, line, parsed) -> {
      if (e instanceof CliException c) {
        line.getErr().println("cohort: " + c.getMessage());
        return c.exitCode();
      }
      if (e instanceof IllegalArgumentException) {
        line.getErr().println("cohort: " + e.getMessage());
        return USAGE;
      }
      throw e;
    });
    int code = cli.execute(args);
    out.flush();
    err.flush();
    return code;
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "name a command: server, tx, messages or schema (see --help)");
  }

  /** Gives the commands what they need from outside: the environment and the wiring. */
  private record Factory(Map<String, String> env, ParticipantWiring wiring)
      implements CommandLine.IFactory {
    @Override
    public <K> K create(Class<K> type) throws Exception {
      if (type == ServeCommand.class) {
        return type.cast(new ServeCommand(env, wiring));
      }
      if (type == TxCommand.List.class
          || type == TxCommand.Show.class
          || type == TxCommand.Retry.class
          || type == TxCommand.Resolve.class) {
        K command = CommandLine.defaultFactory().create(type);
        ((TxCommand.Base) command).environment(env);
        return command;
      }
      if (type == MessagesCommand.DeadLettersCommand.class) {
        MessagesCommand.DeadLettersCommand command = new MessagesCommand.DeadLettersCommand();
        command.environment(env);
        return type.cast(command);
      }
      return CommandLine.defaultFactory().create(type);
    }
  }
}
