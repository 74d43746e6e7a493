package dev.cohort.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Callable;
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

  /** Options every tx command has. */
  abstract static class Base implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(
        names = "--url",
        defaultValue = "http://127.0.0.1:7070",
        description = "The server (default: ${DEFAULT-VALUE}).")
    String url;

    @Option(names = "--token", description = "API token; or env COHORT_TOKEN.")
    String token;

    @Option(names = "--json", description = "Print the server's JSON instead of a table.")
    boolean json;

    private Map<String, String> env = Map.of();

    void environment(Map<String, String> value) {
      this.env = value;
    }

    ApiCaller caller() {
      return new ApiCaller(url, token != null ? token : env.get("COHORT_TOKEN"));
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

    void printOutcome(JsonNode o) {
      String reason = o.path("reason").isTextual() ? " (" + o.get("reason").asText() + ")" : "";
      out().println(o.path("gid").asText() + ": " + o.path("status").asText() + reason);
    }

    static String gidPath(String gid) {
      return "/v1/transactions/" + URLEncoder.encode(gid, StandardCharsets.UTF_8);
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
      StringBuilder q = new StringBuilder("/v1/transactions?limit=").append(limit);
      param(q, "status", status);
      param(q, "mode", mode);
      param(
          q, "olderThanMs", olderThan == null ? null : Long.toString(Durations.millis(olderThan)));
      param(q, "q", query);
      param(q, "after", after);
      JsonNode body = caller().get(q.toString());
      return print(
          body,
          b -> {
            Table table = new Table("GID", "MODE", "STATUS", "CREATED", "UPDATED", "REASON");
            for (JsonNode t : b.path("transactions")) {
              table.row(
                  t.path("gid").asText(),
                  t.path("mode").asText(),
                  t.path("status").asText(),
                  t.path("createdAt").asText(""),
                  t.path("updatedAt").asText(""),
                  t.path("reason").asText(""));
            }
            table.print(out());
            if (b.path("next").isTextual()) {
              out().println("more: --after " + b.get("next").asText());
            }
          });
    }

    private static void param(StringBuilder q, String name, String value) {
      if (value != null) {
        q.append('&')
            .append(name)
            .append('=')
            .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
      }
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
      JsonNode body = caller().get(gidPath(gid));
      return print(
          body,
          t -> {
            Table fields = new Table("FIELD", "VALUE");
            for (String name :
                new String[] {
                  "gid",
                  "mode",
                  "status",
                  "reason",
                  "parallel",
                  "createdAt",
                  "updatedAt",
                  "deadline",
                  "attempts",
                  "nextAttemptAt",
                  "owner",
                  "leaseUntil"
                }) {
              JsonNode v = t.path(name);
              fields.row(name, v.isNull() || v.isMissingNode() ? "-" : v.asText());
            }
            fields.print(out());
            out().println();
            Table branches = new Table("BRANCH", "STATUS", "ATTEMPTS", "PAYLOAD", "LAST ERROR");
            Table urls = new Table("BRANCH", "CALL", "URL");
            for (JsonNode b : t.path("branches")) {
              String id = b.path("branchId").asText();
              branches.row(
                  id,
                  b.path("status").asText(),
                  b.path("attempts").asText(),
                  b.path("payload").toString(),
                  b.path("lastError").asText(""));
              for (String op : new String[] {"try", "confirm", "cancel", "action", "compensate"}) {
                if (b.path(op).isTextual()) {
                  urls.row(id, op, b.get(op).asText());
                }
              }
            }
            branches.print(out());
            out().println();
            urls.print(out());
            out().println();
            for (JsonNode e : t.path("timeline")) {
              out().println(e.path("at").asText() + "  " + e.path("event").asText());
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
      return print(caller().post(gidPath(gid) + "/retry", null), this::printOutcome);
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
      String body = ApiCaller.JSON.createObjectNode().put("reason", reason).toString();
      return print(caller().post(gidPath(gid) + "/resolve", body), this::printOutcome);
    }
  }
}
