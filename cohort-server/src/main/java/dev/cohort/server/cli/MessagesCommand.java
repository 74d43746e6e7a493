package dev.cohort.server.cli;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.cohort.messaging.DeadLetter;
import dev.cohort.messaging.DeadLetterAction;
import dev.cohort.messaging.DeadLetters;
import dev.cohort.messaging.MessagingTables;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cohort messages ...}: the operator's view of a service's reliable messages, read from the
 * service's own database through cohort-messaging (no coordinator involved).
 */
@Command(
    name = "messages",
    mixinStandardHelpOptions = true,
    description = "Reliable messages in a service's database (docs/messaging.md).",
    subcommands = {MessagesCommand.DeadLettersCommand.class})
final class MessagesCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "name a command: dead-letters (see --help)");
  }

  /** Lists dead letters and parked messages; requeues or discards one, journaled. */
  @Command(
      name = "dead-letters",
      mixinStandardHelpOptions = true,
      description = {
        "Lists the outbox messages the relay gave up on and the messages consumers parked,"
            + " oldest first; with --requeue or --discard, acts on one (journaled with the"
            + " reason, shown by --actions).",
      })
  static final class DeadLettersCommand implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    private Map<String, String> env = Map.of();

    @Option(
        names = "--jdbc-url",
        required = true,
        description = "The service's database, e.g. jdbc:postgresql://db:5432/orders.")
    String jdbcUrl;

    @Option(names = "--user", description = "Database user.")
    String user;

    @Option(names = "--password", description = "Database password; or env COHORT_DB_PASSWORD.")
    String password;

    @Option(
        names = "--prefix",
        defaultValue = MessagingTables.DEFAULT_PREFIX,
        description = "The messaging tables' prefix (default: ${DEFAULT-VALUE}).")
    String prefix;

    @Option(
        names = "--limit",
        defaultValue = "50",
        description = "At most this many rows (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(
        names = "--requeue",
        paramLabel = "MESSAGE_ID",
        description = "Publish this outbox dead letter again (attempts from zero).")
    String requeue;

    @Option(
        names = "--discard",
        paramLabel = "MESSAGE_ID",
        description =
            "Drop this dead letter for good; needs --reason (and --where for a parked one).")
    String discard;

    @Option(
        names = "--where",
        defaultValue = "outbox",
        description =
            "outbox or inbox:<consumer>, as the listing shows it (default: ${DEFAULT-VALUE}).")
    String where;

    @Option(names = "--reason", description = "Why: journaled with --requeue or --discard.")
    String reason;

    @Option(names = "--actions", description = "List what operators did, newest first.")
    boolean actions;

    void environment(Map<String, String> value) {
      this.env = value;
    }

    @Override
    public Integer call() {
      if (limit < 1) {
        throw new IllegalArgumentException("--limit must be at least 1, was " + limit);
      }
      if (requeue != null && discard != null) {
        throw new IllegalArgumentException("give --requeue or --discard, not both");
      }
      PrintWriter out = spec.commandLine().getOut();
      try (HikariDataSource pool = pool()) {
        DeadLetters dead = DeadLetters.of(MessagingTables.of(pool, prefix));
        if (requeue != null) {
          return report(out, dead.requeue(requeue, reason), "requeued", requeue, "outbox");
        }
        if (discard != null) {
          return report(out, dead.discard(where, discard, reason), "discarded", discard, where);
        }
        if (actions) {
          Table table = new Table("AT", "ACTION", "WHERE", "MESSAGE", "REASON");
          for (DeadLetterAction a : dead.actions(limit)) {
            table.row(
                a.at().toString(),
                a.action().code(),
                a.consumer() == null ? "outbox" : "inbox:" + a.consumer(),
                a.messageId(),
                a.reason());
          }
          table.print(out);
        } else {
          Table table = new Table("SINCE", "WHERE", "MESSAGE", "TYPE", "KEY", "ATTEMPTS", "REASON");
          for (DeadLetter d : dead.list(limit)) {
            table.row(
                d.since().toString(),
                d.where(),
                d.message().id(),
                d.message().type(),
                d.message().key(),
                Integer.toString(d.attempts()),
                d.reason());
          }
          table.print(out);
        }
        out.flush();
        return CohortCli.OK;
      }
    }

    private static int report(
        PrintWriter out, boolean done, String action, String messageId, String where) {
      if (!done) {
        throw new CliException(
            CohortCli.REFUSED,
            "no dead letter " + messageId + " in " + where + " (already handled, or never dead)");
      }
      out.println(action + " " + messageId + " (" + where + ")");
      out.flush();
      return CohortCli.OK;
    }

    private HikariDataSource pool() {
      HikariConfig config = new HikariConfig();
      config.setJdbcUrl(jdbcUrl);
      if (user != null) {
        config.setUsername(user);
      }
      String pw = password != null ? password : env.get("COHORT_DB_PASSWORD");
      if (pw != null) {
        config.setPassword(pw);
      }
      config.setPoolName("cohort-messages");
      config.setMaximumPoolSize(1);
      try {
        return new HikariDataSource(config);
      } catch (RuntimeException e) {
        throw new CliException(
            CohortCli.UNAVAILABLE,
            "cannot open the database " + jdbcUrl + " (" + e.getMessage() + ")");
      }
    }
  }
}
