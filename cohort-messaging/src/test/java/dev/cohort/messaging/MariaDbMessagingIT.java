package dev.cohort.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cohort.testsupport.DatabasePair;
import dev.cohort.testsupport.TestServices;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The messaging tables and their SQL on a real MariaDB: migration, outbox, relay, inbox,
 * check-back, tracker and reconciliation journal (the RabbitMQ paths are proved on PostgreSQL).
 */
class MariaDbMessagingIT {
  private TestServices services;
  private DatabasePair db;
  private MessagingTables tables;

  @BeforeEach
  void setUp() {
    services = TestServices.load();
    db = services.mariadb().isolated("messaging_it");
    tables = MessagingTables.of(db.primary()).migrate();
  }

  @AfterEach
  void tearDown() {
    db.close();
    services.close();
  }

  @Test
  void theOutboxRelayAndInboxWorkOnMariaDb() throws Exception {
    tables.verify();
    assertThat(tables.migrate().database()).isEqualTo(dev.cohort.jdbc.Database.MARIADB);
    Outbox outbox = Outbox.builder(tables).build();
    try (Connection c = db.primary().getConnection()) {
      c.setAutoCommit(false);
      outbox.append(c, Message.of("m1", "orders.placed", "a", "order.placed", "{\"é\":1}"));
      outbox.append(c, Message.of("m2", "orders.placed", "a", "order.placed", "{}"));
      c.commit();
    }
    ScriptedBroker broker = new ScriptedBroker();
    Relay relay = Relay.builder(outbox, broker).maxAttempts(1).build();
    broker.failNext(1);
    assertThat(relay.runOnce().deadLettered()).isEqualTo(2);
    assertThat(outbox.deadLetters(10)).hasSize(2);
    assertThat(outbox.retry("m1")).isTrue();
    assertThat(outbox.retry("m2")).isTrue();
    assertThat(relay.runOnce().published()).isEqualTo(2);
    assertThat(broker.publishedIds()).containsExactly("m1", "m2");
    assertThat(broker.published.get(0).payload()).isEqualTo("{\"é\":1}");

    assertThat(outbox.checkBack("m1")).isEqualTo(LocalTransactionState.COMMITTED);
    assertThat(outbox.checkBack("never")).isEqualTo(LocalTransactionState.ROLLED_BACK);
    assertThatThrownBy(
            () -> {
              try (Connection c = db.primary().getConnection()) {
                c.setAutoCommit(false);
                outbox.append(c, Message.of("never", "orders.placed", "a", "t", "{}"));
              }
            })
        .isInstanceOf(DuplicateMessageException.class);

    Inbox inbox = Inbox.builder(tables, "shipping").handler("order.placed", (c, m) -> {}).build();
    assertThat(inbox.receive(broker.published.get(0))).isEqualTo(InboxResult.APPLIED);
    assertThat(inbox.receive(broker.published.get(0))).isEqualTo(InboxResult.DUPLICATE_SKIPPED);
    assertThat(inbox.receive(Message.of("x", "d", "k", "other", "p")))
        .isEqualTo(InboxResult.PARKED);
    assertThat(inbox.parked(10)).extracting(e -> e.message().payload()).containsExactly("p");

    // A batch: one statement per id here (the driver may not count a batch's rows), one commit.
    List<Message> batch =
        List.of(
            broker.published.get(0),
            Message.of("y", "d", "k", "order.placed", "{}"),
            Message.of("y", "d", "k", "order.placed", "{}"),
            Message.of("z", "d", "k", "other", "q"));
    assertThat(inbox.receiveAll(batch)).isEqualTo(4);
    assertThat(inbox.find("y").orElseThrow().status()).isEqualTo(InboxStatus.APPLIED);
    assertThat(inbox.find("z").orElseThrow().status()).isEqualTo(InboxStatus.PARKED);
    assertThat(inbox.stats()).isEqualTo(new InboxStats(2, 3, 2));
  }

  @Test
  void theTrackerAndTheJournalWorkOnMariaDb() throws Exception {
    ChoreographyTracker tracker =
        ChoreographyTracker.builder(tables)
            .event("order.placed", SagaEventKind.STARTED)
            .event("order.cancelled", SagaEventKind.COMPENSATED)
            .deadline(Duration.ofMinutes(1))
            .build();
    tracker.record(new Message("p", "d", "k", "order.placed", "s1", "{}"));
    tracker.record(new Message("c", "d", "k", "order.cancelled", "s1", "{}"));
    SagaView saga = tracker.find("s1").orElseThrow();
    assertThat(saga.status()).isEqualTo(SagaStatus.COMPENSATED);
    assertThat(saga.types()).containsExactly("order.placed", "order.cancelled");

    Reconciler reconciler =
        Reconciler.builder(tables)
            .rule(
                new ReconciliationRule<String>() {
                  @Override
                  public String name() {
                    return "r";
                  }

                  @Override
                  public List<String> findStuck(Instant stuckSince) {
                    return List.of("e1");
                  }

                  @Override
                  public String idOf(String entity) {
                    return entity;
                  }

                  @Override
                  public Repair decide(String entity) {
                    return Repair.forward("done", () -> {});
                  }
                },
                Duration.ofMinutes(1))
            .build();
    reconciler.runOnce();
    assertThat(reconciler.journal(5))
        .extracting(ReconciliationRecord::kind)
        .containsExactly(RepairKind.FORWARD);
  }
}
