package dev.cohort.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConnectionFactory;
import dev.cohort.api.Scheduler;
import dev.cohort.testing.time.MutableClock;
import dev.cohort.testsupport.DatabasePair;
import dev.cohort.testsupport.TestServices;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A choreographed purchase on real PostgreSQL and RabbitMQ: order, payment and stock services, each
 * with its own outbox, relay and inbox, react to each other's events; the tracker follows the saga.
 * Stock fails the step, so payment refunds and order cancels, in reverse order.
 */
class ChoreographyIT {
  private static final Set<List<SagaStatus>> SEEN = Collections.synchronizedSet(new HashSet<>());

  private final String run = UUID.randomUUID().toString().substring(0, 8);
  private final String exchange = "cohort.saga." + run;
  private final List<String> queues = new ArrayList<>();
  private final List<AutoCloseable> closing = new ArrayList<>();
  private final List<SagaView> alerts = Collections.synchronizedList(new ArrayList<>());
  private final MutableClock trackerClock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private TestServices services;
  private DatabasePair db;
  private RabbitBroker broker;
  private ChoreographyTracker tracker;

  @BeforeEach
  void setUp() throws Exception {
    services = TestServices.load();
    db = services.postgres().isolated("choreography_it");
    try (Connection c = db.primary().getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE orders (id VARCHAR(64) PRIMARY KEY, status VARCHAR(16))");
      s.execute("CREATE TABLE accounts (id VARCHAR(64) PRIMARY KEY, cents INT)");
      s.execute("CREATE TABLE stock (sku VARCHAR(64) PRIMARY KEY, qty INT)");
      s.execute("INSERT INTO accounts VALUES ('alice', 10000)");
      s.execute("INSERT INTO stock VALUES ('book', 0)"); // sold out: the stock step fails
    }
    broker =
        RabbitBroker.builder(services.amqpUri())
            .exchange(exchange)
            .recoveryInterval(Duration.ofMillis(500))
            .build();
    tracker =
        ChoreographyTracker.builder(MessagingTables.of(db.primary(), "tracker_").migrate())
            .event("order.placed", SagaEventKind.STARTED)
            .event("payment.done", SagaEventKind.STEP)
            .event("stock.reserved", SagaEventKind.COMPLETED)
            .event("stock.failed", SagaEventKind.FAILED)
            .event("payment.refunded", SagaEventKind.COMPENSATION)
            .event("order.cancelled", SagaEventKind.COMPENSATED)
            .deadline(Duration.ofMinutes(5))
            .clock(trackerClock)
            .onStalled(alerts::add)
            .onStatusChange(c -> SEEN.add(List.of(c.from(), c.to())))
            .build();
    subscribe("tracker." + run, List.of("#"), tracker::record);
  }

  @AfterEach
  void tearDown() throws Exception {
    for (AutoCloseable c : closing) {
      c.close();
    }
    broker.close();
    ConnectionFactory f = new ConnectionFactory();
    f.setUri(services.amqpUri());
    try (com.rabbitmq.client.Connection c = f.newConnection();
        Channel ch = c.createChannel()) {
      for (String q : queues) {
        ch.queueDelete(q);
      }
      ch.exchangeDelete(exchange);
    }
    db.close();
    services.close();
  }

  private void subscribe(String queue, List<String> destinations, Broker.MessageHandler h)
      throws BrokerException {
    queues.add(queue);
    closing.add(broker.subscribe(queue, destinations, h));
  }

  /** One service: its own tables (prefix), outbox, relay and inbox. */
  private final class Service {
    final Outbox outbox;
    final Inbox.Builder inbox;
    final MessagingTables tables;

    Service(String name) {
      tables = MessagingTables.of(db.primary(), name + "_").migrate();
      outbox = Outbox.builder(tables).build();
      inbox = Inbox.builder(tables, name);
      Relay relay =
          Relay.builder(outbox, broker)
              .scheduler(Scheduler.system("relay-" + name))
              .pollInterval(Duration.ofMillis(50))
              .backoff(Duration.ofMillis(100), Duration.ofSeconds(1))
              .build()
              .start();
      closing.add(relay);
    }

    /** Emits the next event of the saga in the same transaction as the change. */
    void emit(Connection c, Message cause, String destination, String type) {
      outbox.append(
          c,
          new Message(
              type + ":" + cause.sagaId(),
              destination,
              cause.key(),
              type,
              cause.sagaId(),
              cause.payload()));
    }
  }

  private static void exec(Connection c, String sql, String arg) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, arg);
      s.executeUpdate();
    }
  }

  private String value(String sql, String arg) throws SQLException {
    DataSource ds = db.primary();
    try (Connection c = ds.getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, arg);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }

  @Test
  void aFailingStepIsCompensatedInReverseAndTheTrackerShowsTheWholeTimeline() throws Exception {
    Service order = new Service("order");
    Service payment = new Service("payment");
    Service stock = new Service("stock");

    Inbox paymentInbox =
        payment
            .inbox
            .handler(
                "order.placed",
                (c, m) -> {
                  exec(c, "UPDATE accounts SET cents = cents - 3000 WHERE id = ?", "alice");
                  payment.emit(c, m, "payment.done", "payment.done");
                })
            .handler(
                "stock.failed",
                (c, m) -> {
                  exec(c, "UPDATE accounts SET cents = cents + 3000 WHERE id = ?", "alice");
                  payment.emit(c, m, "payment.refunded", "payment.refunded");
                })
            .build();
    Inbox stockInbox =
        stock
            .inbox
            .handler(
                "payment.done",
                (c, m) -> {
                  String qty = null;
                  try (PreparedStatement s =
                      c.prepareStatement("SELECT qty FROM stock WHERE sku = 'book' FOR UPDATE")) {
                    try (ResultSet rs = s.executeQuery()) {
                      rs.next();
                      qty = rs.getString(1);
                    }
                  }
                  if (Integer.parseInt(qty) < 1) {
                    stock.emit(c, m, "stock.failed", "stock.failed");
                  } else {
                    exec(c, "UPDATE stock SET qty = qty - 1 WHERE sku = ?", "book");
                    stock.emit(c, m, "stock.reserved", "stock.reserved");
                  }
                })
            .build();
    Inbox orderInbox =
        order
            .inbox
            .handler(
                "payment.refunded",
                (c, m) -> {
                  exec(c, "UPDATE orders SET status = 'cancelled' WHERE id = ?", m.key());
                  order.emit(c, m, "order.cancelled", "order.cancelled");
                })
            .build();
    subscribe("payment." + run, List.of("order.placed", "stock.failed"), paymentInbox::receive);
    subscribe("stock." + run, List.of("payment.done"), stockInbox::receive);
    subscribe("order." + run, List.of("payment.refunded"), orderInbox::receive);
    subscribe("audit." + run, List.of("order.cancelled"), m -> {});

    String sagaId = "saga-" + run;
    try (Connection c = db.primary().getConnection()) {
      c.setAutoCommit(false);
      exec(c, "INSERT INTO orders VALUES (?, 'placed')", "o-1");
      order.outbox.append(
          c, new Message("placed:" + sagaId, "order.placed", "o-1", "order.placed", sagaId, "{}"));
      c.commit();
    }

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() ->
            tracker.find(sagaId).map(SagaView::status).orElse(null) == SagaStatus.COMPENSATED);

    SagaView saga = tracker.find(sagaId).orElseThrow();
    assertThat(saga.types())
        .containsExactly(
            "order.placed", "payment.done", "stock.failed", "payment.refunded", "order.cancelled");
    assertThat(saga.timeline())
        .extracting(SagaView.Event::kind)
        .containsExactly(
            SagaEventKind.STARTED,
            SagaEventKind.STEP,
            SagaEventKind.FAILED,
            SagaEventKind.COMPENSATION,
            SagaEventKind.COMPENSATED);
    assertThat(value("SELECT status FROM orders WHERE id = ?", "o-1")).isEqualTo("cancelled");
    assertThat(value("SELECT cents FROM accounts WHERE id = ?", "alice")).isEqualTo("10000");
    assertThat(tracker.checkDeadlines()).isEmpty(); // finished sagas never stall
  }

  @Test
  void aSagaThatStopsPastItsDeadlineIsStalledAndAlertedOnceAndResumesOnALateEvent()
      throws Exception {
    String sagaId = "stuck-" + run;
    tracker.record(new Message("p:" + sagaId, "order.placed", "o-2", "order.placed", sagaId, "{}"));
    tracker.record(new Message("d:" + sagaId, "payment.done", "o-2", "payment.done", sagaId, "{}"));

    trackerClock.advance(Duration.ofMinutes(4));
    assertThat(tracker.checkDeadlines()).isEmpty();
    trackerClock.advance(Duration.ofMinutes(2));
    assertThat(tracker.checkDeadlines()).extracting(SagaView::sagaId).containsExactly(sagaId);
    assertThat(tracker.checkDeadlines()).isEmpty(); // alerted once
    assertThat(alerts).extracting(SagaView::sagaId).containsExactly(sagaId);
    assertThat(tracker.find(sagaId).orElseThrow().status()).isEqualTo(SagaStatus.STALLED);

    tracker.record(new Message("f:" + sagaId, "stock.failed", "o-2", "stock.failed", sagaId, "{}"));
    assertThat(tracker.find(sagaId).orElseThrow().status()).isEqualTo(SagaStatus.COMPENSATING);
    trackerClock.advance(Duration.ofMinutes(1));
    assertThat(tracker.checkDeadlines()).isEmpty(); // alerted once per saga, even after a revival
    tracker.record(
        new Message("c:" + sagaId, "order.cancelled", "o-2", "order.cancelled", sagaId, "{}"));
    // A redelivered event is recorded once.
    tracker.record(
        new Message("c:" + sagaId, "order.cancelled", "o-2", "order.cancelled", sagaId, "{}"));
    SagaView saga = tracker.find(sagaId).orElseThrow();
    assertThat(saga.status()).isEqualTo(SagaStatus.COMPENSATED);
    assertThat(saga.timeline()).hasSize(4);
  }

  @Test
  void moreTransitionsOfTheSagaStatus() throws Exception {
    String a = "a-" + run;
    tracker.record(new Message("p:" + a, "order.placed", "k", "order.placed", a, "{}"));
    tracker.record(new Message("r:" + a, "stock.reserved", "k", "stock.reserved", a, "{}"));
    assertThat(tracker.find(a).orElseThrow().status()).isEqualTo(SagaStatus.COMPLETED);

    String b = "b-" + run;
    tracker.record(new Message("p:" + b, "order.placed", "k", "order.placed", b, "{}"));
    tracker.record(new Message("c:" + b, "order.cancelled", "k", "order.cancelled", b, "{}"));
    assertThat(tracker.find(b).orElseThrow().status()).isEqualTo(SagaStatus.COMPENSATED);

    for (String type : List.of("payment.done", "stock.reserved")) {
      String s = type + "-" + run;
      tracker.record(new Message("p:" + s, "order.placed", "k", "order.placed", s, "{}"));
      trackerClock.advance(Duration.ofMinutes(6));
      tracker.checkDeadlines();
      tracker.record(new Message("x:" + s, type, "k", type, s, "{}"));
    }
    assertThat(tracker.find("payment.done-" + run).orElseThrow().status())
        .isEqualTo(SagaStatus.RUNNING);
    assertThat(tracker.find("stock.reserved-" + run).orElseThrow().status())
        .isEqualTo(SagaStatus.COMPLETED);

    String c = "c-" + run;
    tracker.record(new Message("p:" + c, "order.placed", "k", "order.placed", c, "{}"));
    tracker.record(new Message("f:" + c, "stock.failed", "k", "stock.failed", c, "{}"));
    trackerClock.advance(Duration.ofMinutes(6));
    assertThat(tracker.checkDeadlines()).extracting(SagaView::sagaId).containsExactly(c);
    tracker.record(new Message("c:" + c, "order.cancelled", "k", "order.cancelled", c, "{}"));
    assertThat(tracker.find(c).orElseThrow().status()).isEqualTo(SagaStatus.COMPENSATED);
    // Not a saga event: ignored.
    assertThat(tracker.record(Message.of("n", "x", "k", "order.placed", "{}"))).isFalse();
  }

  @AfterAll
  static void everyLegalTransitionWasExercised() {
    List<List<SagaStatus>> missing = new ArrayList<>(SagaStatus.legalTransitions());
    missing.removeAll(SEEN);
    assertThat(missing).as("legal saga transitions no test exercised").isEmpty();
  }
}
