package dev.cohort.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cohort.protocol.BranchShape;
import dev.cohort.protocol.Operation;
import dev.cohort.protocol.TrustedCertificates;
import dev.cohort.protocol.v1.BranchDetail;
import dev.cohort.protocol.v1.Codec;
import dev.cohort.protocol.v1.CoordinatorCallException;
import dev.cohort.protocol.v1.CoordinatorClient;
import dev.cohort.protocol.v1.TimelineEvent;
import dev.cohort.protocol.v1.TransactionDetail;
import dev.cohort.protocol.v1.TransactionPage;
import dev.cohort.protocol.v1.TransactionSummary;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cohort tx ...}: the operator's view of a running server. */
@Command(
    name = "tx",
    mixinStandardHelpOptions = true,
    description = "Lists, shows, retries and resolves transactions on a running server.",
    subcommands = {
      TxCommand.List.class,
      TxCommand.Show.class,
      TxCommand.Retry.class,
      TxCommand.Resolve.class
    })
final class TxCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "name a command: list, show, retry or resolve (see --help)");
  }

  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

  /** Options every tx command has. */
  abstract static class Base implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(
        names = "--url",
        defaultValue = "http://127.0.0.1:7070",
        description = "The server (default: ${DEFAULT-VALUE}).")
    String url;

    @Option(
        names = "--token",
        description =
            "A token of the server: a reader token is enough for list and show, retry and resolve"
                + " need an operator token; or env COHORT_TOKEN.")
    String token;

    @Option(names = "--json", description = "Print the server's JSON instead of a table.")
    boolean json;

    @Option(
        names = "--ca",
        description =
            "PEM file of the CA (or the self-signed certificate) an https server's certificate"
                + " chains to; default: the JDK's public CAs.")
    Path ca;

    private Map<String, String> env = Map.of();

    void environment(Map<String, String> value) {
      this.env = value;
    }

    /** Calls the server; its answers are printed, its errors become the CLI's exit codes. */
    <T> T call(boolean changes, Function<CoordinatorClient, T> request) {
      String apiToken = token != null ? token : env.get("COHORT_TOKEN");
      if (apiToken == null || apiToken.isBlank()) {
        throw new IllegalArgumentException(
            changes
                ? "this command changes the server: give an operator token with --token or"
                    + " COHORT_TOKEN"
                : "give a token of the server (a reader token is enough) with --token or"
                    + " COHORT_TOKEN");
      }
      URI base;
      try {
        base = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "--url '" + url + "' is not a usable URL: " + e.getMessage(), e);
      }
      try (CoordinatorClient client =
          new CoordinatorClient(
              base,
              apiToken,
              CONNECT_TIMEOUT,
              REQUEST_TIMEOUT,
              ca == null ? null : TrustedCertificates.sslContext(ca))) {
        return request.apply(client);
      } catch (CoordinatorCallException e) {
        throw switch (e.kind()) {
          case ERROR ->
              e.status() < 500
                  ? new CliException(
                      CohortCli.REFUSED, e.serverMessage() + " (HTTP " + e.status() + ")")
                  : new CliException(
                      CohortCli.UNAVAILABLE,
                      "the server failed: " + e.serverMessage() + " (HTTP " + e.status() + ")");
          case MALFORMED -> new CliException(CohortCli.UNAVAILABLE, e.getMessage());
          case TIMEOUT, UNREACHABLE, INTERRUPTED ->
              new CliException(
                  CohortCli.UNAVAILABLE, "cannot reach the server at " + base + " (" + e + ")");
        };
      }
    }

    static JsonNode json(Object body) {
      return Codec.JSON.valueToTree(body);
    }

    PrintWriter out() {
      return spec.commandLine().getOut();
    }

    /** Prints the raw JSON when asked, otherwise the readable form. */
    int print(JsonNode body, java.util.function.Consumer<JsonNode> readable) {
      if (json) {
        out().println(body.toPrettyString());
      } else {
        readable.accept(body);
      }
      out().flush();
      return CohortCli.OK;
    }

    static String orEmpty(String text) {
      return text == null ? "" : text;
    }

    static String orDash(String text) {
      return text == null ? "-" : text;
    }

    void printOutcome(JsonNode o) {
      String reason = o.path("reason").isTextual() ? " (" + o.get("reason").asText() + ")" : "";
      out().println(o.path("gid").asText() + ": " + o.path("status").asText() + reason);
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "Lists transactions, oldest gid first.")
  static final class List extends Base {
    @Option(
        names = "--status",
        description = "Status codes, comma-separated (e.g. failed,committing).")
    String status;

    @Option(names = "--mode", description = "tcc or saga.")
    String mode;

    @Option(
        names = "--older-than",
        description = "Created at least this long ago: 90s, 10m, 2h, 1d or ms.")
    String olderThan;

    @Option(names = "--query", description = "Text in the gid, reason or a branch's URLs/payload.")
    String query;

    @Option(
        names = "--limit",
        defaultValue = "50",
        description = "At most this many (1..500; default ${DEFAULT-VALUE}).")
    int limit;

    @Option(
        names = "--after",
        description = "Start after this gid (the 'next' of a previous page).")
    String after;

    @Override
    public Integer call() {
      Map<String, String> q = new LinkedHashMap<>();
      q.put("limit", Integer.toString(limit));
      q.put("status", status);
      q.put("mode", mode);
      q.put("olderThanMs", olderThan == null ? null : Long.toString(Durations.millis(olderThan)));
      q.put("q", query);
      q.put("after", after);
      TransactionPage page = call(false, c -> c.list(q));
      return print(
          json(page),
          b -> {
            Table table = new Table("GID", "MODE", "STATUS", "CREATED", "UPDATED", "REASON");
            for (TransactionSummary t : page.transactions()) {
              table.row(
                  t.gid(),
                  t.mode(),
                  t.status(),
                  orEmpty(t.createdAt()),
                  orEmpty(t.updatedAt()),
                  orEmpty(t.reason()));
            }
            table.print(out());
            if (page.next() != null) {
              out().println("more: --after " + page.next());
            }
          });
    }
  }

  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description = "Shows one transaction with its branches.")
  static final class Show extends Base {
    @Parameters(index = "0", paramLabel = "GID")
    String gid;

    @Override
    public Integer call() {
      TransactionDetail t = call(false, c -> c.show(gid));
      return print(
          json(t),
          unused -> {
            Table fields = new Table("FIELD", "VALUE");
            fields.row("gid", orDash(t.gid()));
            fields.row("mode", orDash(t.mode()));
            fields.row("status", orDash(t.status()));
            fields.row("reason", orDash(t.reason()));
            fields.row("parallel", Boolean.toString(t.parallel()));
            fields.row("createdAt", orDash(t.createdAt()));
            fields.row("updatedAt", orDash(t.updatedAt()));
            fields.row("deadline", orDash(t.deadline()));
            fields.row("attempts", Integer.toString(t.attempts()));
            fields.row("nextAttemptAt", orDash(t.nextAttemptAt()));
            fields.row("owner", orDash(t.owner()));
            fields.row("leaseUntil", orDash(t.leaseUntil()));
            fields.print(out());
            out().println();
            Table branches = new Table("BRANCH", "STATUS", "ATTEMPTS", "PAYLOAD", "LAST ERROR");
            Table urls = new Table("BRANCH", "CALL", "URL");
            for (BranchDetail b : t.branches()) {
              branches.row(
                  b.branchId(),
                  b.status(),
                  Integer.toString(b.attempts()),
                  b.payloadText(),
                  orEmpty(b.lastError()));
              for (Operation op : BranchShape.allOperations()) {
                if (b.url(op) != null) {
                  urls.row(b.branchId(), op.code(), b.url(op));
                }
              }
            }
            branches.print(out());
            out().println();
            urls.print(out());
            out().println();
            for (TimelineEvent e : t.timeline()) {
              out().println(e.at() + "  " + e.event());
            }
          });
    }
  }

  @Command(
      name = "retry",
      mixinStandardHelpOptions = true,
      description = "Delivers now; a failed transaction gets a fresh retry window.")
  static final class Retry extends Base {
    @Parameters(index = "0", paramLabel = "GID")
    String gid;

    @Override
    public Integer call() {
      return print(json(call(true, c -> c.retry(gid))), this::printOutcome);
    }
  }

  @Command(
      name = "resolve",
      mixinStandardHelpOptions = true,
      description = "Closes a failed transaction settled by hand.")
  static final class Resolve extends Base {
    @Parameters(index = "0", paramLabel = "GID")
    String gid;

    @Option(
        names = "--reason",
        required = true,
        description = "How it was settled (kept in the log).")
    String reason;

    @Override
    public Integer call() {
      return print(json(call(true, c -> c.resolve(gid, reason))), this::printOutcome);
    }
  }
}
