package dev.cohort.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cohort.messaging.Broker;
import dev.cohort.messaging.BrokerException;
import dev.cohort.messaging.Inbox;
import dev.cohort.messaging.Message;
import dev.cohort.messaging.MessagingTables;
import dev.cohort.messaging.Outbox;
import dev.cohort.messaging.OutboxStatus;
import dev.cohort.messaging.Relay;
import dev.cohort.server.cli.CohortCli;
import dev.cohort.server.cli.ParticipantWiring;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

/**
 * {@code cohort messages dead-letters} on a service's SQLite database: the listing, a requeue, a
 * discard with its reason, and the journal of both.
 */
class MessagesCommandTest {
  @TempDir Path dir;
  private String url;
  private Outbox outbox;

  record Run(int code, String out, String err) {}

  /** A broker that is always down: every publish fails, so one attempt makes a message DEAD. */
  private static final class DownBroker implements Broker {
    @Override
    public void publish(List<Message> messages) throws BrokerException {
      throw new BrokerException("broker down (test)");
    }

    @Override
    public Subscription subscribe(String queue, List<String> destinations, MessageHandler handler) {
      throw new UnsupportedOperationException("not consumed here");
    }

    @Override
    public void close() {}
  }

  @BeforeEach
  void setUp() throws Exception {
    url = "jdbc:sqlite:" + dir.resolve("orders.db");
    SQLiteDataSource ds = new SQLiteDataSource();
    ds.setUrl(url);
    MessagingTables tables = MessagingTables.of(ds).migrate();
    outbox = Outbox.builder(tables).build();
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      outbox.append(c, Message.of("m1", "orders.paid", "order-1", "order.paid", "{}"));
      c.commit();
    }
    try (Relay relay = Relay.builder(outbox, new DownBroker()).maxAttempts(1).build()) {
      relay.runOnce();
    }
    Inbox.builder(tables, "shipping")
        .build()
        .receive(Message.of("p1", "orders.paid", "order-2", "order.refunded", "{}"));
  }

  private Run cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        CohortCli.run(
            new PrintWriter(out), new PrintWriter(err), Map.of(), ParticipantWiring.NONE, args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void listsTheDeadLettersWithWhereReasonAndAttempts() {
    Run list = cli("messages", "dead-letters", "--jdbc-url", url);

    assertThat(list.code()).as(list.err()).isZero();
    String[] lines = list.out().lines().toArray(String[]::new);
    assertThat(lines[0]).startsWith("SINCE").contains("WHERE", "MESSAGE", "ATTEMPTS", "REASON");
    assertThat(lines[1]).contains("outbox", "m1", "order.paid", "broker down (test)");
    assertThat(lines[2]).contains("inbox:shipping", "p1", "unknown message type 'order.refunded'");
  }

  @Test
  void requeuesAndDiscardsWithTheReasonJournaled() {
    Run requeue =
        cli("messages", "dead-letters", "--jdbc-url", url, "--requeue", "m1", "--reason", "fixed");
    Run discard =
        cli(
            "messages",
            "dead-letters",
            "--jdbc-url",
            url,
            "--discard",
            "p1",
            "--where",
            "inbox:shipping",
            "--reason",
            "refunds are not shipped");

    assertThat(requeue.code()).as(requeue.err()).isZero();
    assertThat(requeue.out()).contains("requeued m1 (outbox)");
    assertThat(discard.code()).as(discard.err()).isZero();
    assertThat(outbox.find("m1").orElseThrow().status()).isEqualTo(OutboxStatus.PENDING);
    Run actions = cli("messages", "dead-letters", "--jdbc-url", url, "--actions");
    String[] lines = actions.out().lines().toArray(String[]::new);
    assertThat(lines[1]).contains("discarded", "inbox:shipping", "p1", "refunds are not shipped");
    assertThat(lines[2]).contains("requeued", "outbox", "m1", "fixed");
    assertThat(cli("messages", "dead-letters", "--jdbc-url", url).out().lines().toList())
        .hasSize(1);
  }

  @Test
  void badRequestsSayWhatWasWrong() {
    Run noReason = cli("messages", "dead-letters", "--jdbc-url", url, "--discard", "m1");
    Run unknown =
        cli("messages", "dead-letters", "--jdbc-url", url, "--requeue", "nope", "--reason", "x");

    assertThat(noReason.code()).isEqualTo(CohortCli.USAGE);
    assertThat(noReason.err()).contains("give the reason for discarding m1");
    assertThat(unknown.code()).isEqualTo(CohortCli.REFUSED);
    assertThat(unknown.err()).contains("no dead letter nope in outbox");
  }
}
