package dev.cohort.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cohort.testing.time.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The visible dead-letter path on SQLite: the listing of outbox dead letters and parked messages,
 * requeue and discard journaled with their reasons, and the Micrometer meters that show them.
 */
class DeadLettersTest {
  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  @TempDir Path dir;
  private final MutableClock clock = new MutableClock(START);
  private final ScriptedBroker broker = new ScriptedBroker();
  private MessagingTables tables;
  private Outbox outbox;
  private Relay relay;
  private Inbox inbox;
  private DeadLetters dead;

  @BeforeEach
  void setUp() {
    tables = SqliteTables.in(dir);
    outbox = Outbox.builder(tables).clock(clock).build();
    relay =
        Relay.builder(outbox, broker)
            .clock(clock)
            .backoff(Duration.ofSeconds(1), Duration.ofSeconds(1))
            .maxAttempts(2)
            .build();
    inbox =
        Inbox.builder(tables, "shipping")
            .clock(clock)
            .handler(
                "order.paid",
                (c, m) -> {
                  if (!m.payload().startsWith("{")) {
                    throw new UnprocessableMessageException("payload is not JSON: " + m.payload());
                  }
                })
            .build();
    dead = DeadLetters.of(tables, clock);
  }

  private void write(Message m) throws Exception {
    try (Connection c = tables.dataSource().getConnection()) {
      c.setAutoCommit(false);
      outbox.append(c, m);
      c.commit();
    }
  }

  /** m1 goes DEAD after two failed publishes; the inbox parks an unknown type and a bad payload. */
  private void makeDeadLetters() throws Exception {
    write(Message.of("m1", "orders.paid", "order-1", "order.paid", "{}"));
    broker.failNext(2);
    relay.runOnce(); // attempt 1 fails
    clock.advance(Duration.ofSeconds(2));
    relay.runOnce(); // attempt 2 fails: DEAD
    clock.advance(Duration.ofSeconds(1));
    inbox.receive(Message.of("p1", "orders.paid", "order-2", "order.refunded", "{}"));
    clock.advance(Duration.ofSeconds(1));
    inbox.receive(Message.of("p2", "orders.paid", "order-3", "order.paid", "not json"));
  }

  @Test
  void listsOutboxDeadLettersAndParkedMessagesWithReasonAttemptsAndTime() throws Exception {
    makeDeadLetters();

    assertThat(dead.list(10))
        .extracting(
            DeadLetter::where, d -> d.message().id(), DeadLetter::attempts, DeadLetter::since)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("outbox", "m1", 2, START.plusSeconds(2)),
            org.assertj.core.groups.Tuple.tuple("inbox:shipping", "p1", 0, START.plusSeconds(3)),
            org.assertj.core.groups.Tuple.tuple("inbox:shipping", "p2", 0, START.plusSeconds(4)));
    assertThat(dead.list(10).get(0).reason()).contains("scripted failure");
    assertThat(dead.list(10).get(1).reason()).contains("unknown message type 'order.refunded'");
    assertThat(dead.list(10).get(2).reason()).contains("payload is not JSON: not json");
    assertThat(dead.list(2)).hasSize(2);
  }

  @Test
  void requeueAndDiscardAreJournaledWithTheirReasons() throws Exception {
    makeDeadLetters();
    clock.advance(Duration.ofMinutes(1));

    assertThat(dead.requeue("m1", "route fixed")).isTrue();
    assertThat(dead.discard("inbox:shipping", "p1", "refunds are not shipped")).isTrue();

    assertThat(outbox.find("m1").orElseThrow().status()).isEqualTo(OutboxStatus.PENDING);
    assertThat(inbox.find("p1").orElseThrow().status()).isEqualTo(InboxStatus.DISCARDED);
    assertThat(dead.list(10)).extracting(d -> d.message().id()).containsExactly("p2");
    assertThat(dead.actions(10))
        .extracting(
            DeadLetterAction::action,
            DeadLetterAction::consumer,
            DeadLetterAction::messageId,
            DeadLetterAction::reason)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                DeadLetterAction.Kind.DISCARDED, "shipping", "p1", "refunds are not shipped"),
            org.assertj.core.groups.Tuple.tuple(
                DeadLetterAction.Kind.REQUEUED, null, "m1", "route fixed"));
    assertThat(dead.actions(10).get(0).at()).isEqualTo(START.plusSeconds(64));
    // The requeued message goes out on the next round.
    assertThat(relay.runOnce().published()).isEqualTo(1);
  }

  @Test
  void aDiscardNeedsAReasonAndAKnownPlace() throws Exception {
    makeDeadLetters();

    assertThatThrownBy(() -> dead.discard("outbox", "m1", " "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("give the reason");
    assertThatThrownBy(() -> dead.discard("shipping", "p1", "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'outbox' or 'inbox:<consumer>'");
    assertThat(dead.discard("outbox", "nope", "gone")).isFalse();
    assertThat(dead.requeue("p1", null)).isFalse(); // a parked message is replayed by its consumer
    assertThat(dead.actions(10)).isEmpty();
  }

  @Test
  void aReplayedParkedMessageIsJournaled() throws Exception {
    makeDeadLetters();
    Inbox fixed =
        Inbox.builder(tables, "shipping")
            .clock(clock)
            .handler("order.refunded", (c, m) -> {})
            .build();

    assertThat(fixed.replay("p1")).isEqualTo(InboxResult.APPLIED);

    assertThat(dead.actions(10))
        .extracting(DeadLetterAction::action, DeadLetterAction::messageId)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(DeadLetterAction.Kind.REPLAYED, "p1"));
  }

  @Test
  void metersShowPublishedRetriedDeadParkedAndTheBacklog() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    MessagingMetrics.of(registry, clock).relay(relay).outbox(outbox).inbox(inbox);
    makeDeadLetters();
    write(Message.of("m2", "orders.paid", "order-9", "order.paid", "{}"));
    clock.advance(Duration.ofSeconds(30));
    inbox.receive(Message.of("a1", "orders.paid", "order-4", "order.paid", "{}"));
    inbox.receive(Message.of("a1", "orders.paid", "order-4", "order.paid", "{}"));

    assertThat(registry.get("cohort.messaging.relay.retried").functionCounter().count())
        .isEqualTo(1);
    assertThat(registry.get("cohort.messaging.relay.dead.lettered").functionCounter().count())
        .isEqualTo(1);
    assertThat(registry.get("cohort.messaging.outbox.dead").gauge().value()).isEqualTo(1);
    assertThat(registry.get("cohort.messaging.outbox.backlog").gauge().value()).isEqualTo(1);
    assertThat(registry.get("cohort.messaging.outbox.oldest.pending.age").gauge().value())
        .isEqualTo(30.0);
    assertThat(
            registry
                .get("cohort.messaging.inbox.parked")
                .tag("consumer", "shipping")
                .functionCounter()
                .count())
        .isEqualTo(2);
    assertThat(registry.get("cohort.messaging.inbox.applied").functionCounter().count())
        .isEqualTo(1);
    assertThat(registry.get("cohort.messaging.inbox.duplicates").functionCounter().count())
        .isEqualTo(1);
    assertThat(registry.get("cohort.messaging.inbox.parked.current").gauge().value()).isEqualTo(2);

    relay.runOnce();

    assertThat(registry.get("cohort.messaging.relay.published").functionCounter().count())
        .isEqualTo(1);
    assertThat(registry.get("cohort.messaging.outbox.backlog").gauge().value()).isZero();
    assertThat(registry.get("cohort.messaging.outbox.oldest.pending.age").gauge().value()).isZero();
  }
}
