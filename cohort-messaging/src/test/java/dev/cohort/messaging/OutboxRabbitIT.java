package dev.cohort.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConnectionFactory;
import dev.cohort.api.Scheduler;
import dev.cohort.testsupport.DatabasePair;
import dev.cohort.testsupport.TestServices;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Outbox → RabbitMQ → inbox on real PostgreSQL and real RabbitMQ. */
class OutboxRabbitIT {
  private final String run = UUID.randomUUID().toString().substring(0, 8);
  private final String exchange = "cohort.it." + run;
  private final String queue = "shipping." + run;
  private final List<InboxResult> results = Collections.synchronizedList(new ArrayList<>());
  private TestServices services;
  private DatabasePair db;
  private MessagingTables tables;
  private ShopFixture shop;
  private RabbitBroker broker;
  private Inbox inbox;

  @BeforeEach
  void setUp() throws Exception {
    services = TestServices.load();
    db = services.postgres().isolated("messaging_it");
    tables = MessagingTables.of(db.primary()).migrate();
    shop = new ShopFixture(db.primary(), Outbox.builder(tables).build());
    inbox =
        Inbox.builder(tables, "shipping")
            .handler("order.placed", ShopFixture::ship)
            .handler(
                "order.json",
                (c, m) -> {
                  if (!m.payload().startsWith("{")) {
                    throw new UnprocessableMessageException("payload is not JSON");
                  }
                })
            .build();
  }

  private RabbitBroker broker(java.net.URI uri) throws BrokerException {
    RabbitBroker b = unsubscribed(uri);
    b.subscribe(queue, List.of("orders.placed"), m -> results.add(inbox.receive(m)));
    return b;
  }

  private RabbitBroker unsubscribed(java.net.URI uri) {
    return RabbitBroker.builder(uri)
        .exchange(exchange)
        .recoveryInterval(Duration.ofMillis(500))
        .confirmTimeout(Duration.ofSeconds(5))
        .build();
  }

  @AfterEach
  void tearDown() throws Exception {
    if (broker != null) {
      broker.close();
    }
    deleteQueue(services.amqpUri());
    db.close();
    services.close();
  }

  private void deleteQueue(java.net.URI uri) {
    ConnectionFactory f = new ConnectionFactory();
    try {
      f.setUri(uri);
      try (com.rabbitmq.client.Connection c = f.newConnection();
          Channel ch = c.createChannel()) {
        ch.queueDelete(queue);
        ch.exchangeDelete(exchange);
      }
    } catch (Exception e) {
      // Best effort: a queue left behind holds no messages the next run reads.
    }
  }

  @Test
  void aRelayKilledBetweenPublishAndMarkSentPublishesAgainAndTheInboxSkipsTheDuplicates()
      throws Exception {
    broker = broker(services.amqpUri());
    for (int i = 0; i < 5; i++) {
      shop.placeOrder("o" + i, "orders.placed");
    }
    // The doomed relay's process "dies" right after the broker confirmed: from then on it can
    // reach its database no more, so it never marks the rows sent.
    KillableDataSource doomedDb = new KillableDataSource(db.primary());
    Broker confirmsThenDies =
        new Broker() {
          @Override
          public void publish(List<Message> messages) throws BrokerException {
            broker.publish(messages);
            doomedDb.kill();
          }

          @Override
          public Subscription subscribe(String q, List<String> d, MessageHandler h) {
            throw new UnsupportedOperationException();
          }

          @Override
          public void close() {}
        };
    Outbox doomedOutbox = Outbox.builder(MessagingTables.of(doomedDb)).build();
    Relay doomed = Relay.builder(doomedOutbox, confirmsThenDies).build();
    assertThatThrownBy(doomed::runOnce).isInstanceOf(MessagingException.class);
    doomed.close();
    assertThat(shop.outbox.count(OutboxStatus.PENDING)).isEqualTo(5);

    // The relay that takes over publishes the same five again.
    try (Relay relay = Relay.builder(shop.outbox, broker).build()) {
      assertThat(relay.runOnce().published()).isEqualTo(5);
    }

    await().atMost(Duration.ofSeconds(20)).until(() -> results.size() == 10);
    assertThat(results).filteredOn(r -> r == InboxResult.APPLIED).hasSize(5);
    assertThat(results).filteredOn(r -> r == InboxResult.DUPLICATE_SKIPPED).hasSize(5);
    assertThat(shop.shipments()).isEqualTo(5);
    assertThat(shop.shippedTwice()).isEmpty();
    assertThat(shop.outbox.count(OutboxStatus.SENT)).isEqualTo(5);
  }

  @Test
  void aStartedRelayKilledWithBatchesInFlightPublishesThemAgainAndTheBatchingInboxSkipsThem()
      throws Exception {
    broker = unsubscribed(services.amqpUri());
    broker.subscribeBatches(queue, List.of("orders.placed"), inbox::receiveAll);
    int total = 12;
    for (int i = 0; i < total; i++) {
      shop.placeOrder("f" + i, "orders.placed");
    }
    // The doomed relay keeps several batches in flight; its process "dies" at the first confirm,
    // so it marks none of them sent.
    KillableDataSource doomedDb = new KillableDataSource(db.primary());
    AtomicInteger handedOver = new AtomicInteger();
    Broker confirmsThenDies =
        new Broker() {
          @Override
          public CompletableFuture<Void> publishAsync(List<Message> messages) {
            handedOver.addAndGet(messages.size());
            return broker.publishAsync(messages).thenRun(doomedDb::kill);
          }

          @Override
          public void publish(List<Message> messages) {
            throw new UnsupportedOperationException("a started relay publishes asynchronously");
          }

          @Override
          public Subscription subscribe(String q, List<String> d, MessageHandler h) {
            throw new UnsupportedOperationException();
          }

          @Override
          public void close() {}
        };
    Outbox doomedOutbox = Outbox.builder(MessagingTables.of(doomedDb)).build();
    Relay doomed =
        Relay.builder(doomedOutbox, confirmsThenDies)
            .batchSize(2)
            .maxInFlight(4)
            .pollInterval(Duration.ofMillis(20))
            .build()
            .start();
    try {
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> inbox.stats().applied() == handedOver.get() && handedOver.get() > 0);
    } finally {
      doomed.close();
    }
    assertThat(shop.outbox.count(OutboxStatus.PENDING)).isEqualTo(total);

    try (Relay relay = Relay.builder(shop.outbox, broker).build()) {
      assertThat(relay.runOnce().published()).isEqualTo(total);
    }
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> inbox.stats().applied() + inbox.stats().duplicates() == total + handedOver.get());
    assertThat(inbox.stats().duplicates())
        .as("every message the doomed relay published comes again and is skipped")
        .isEqualTo(handedOver.get())
        .isPositive();
    assertThat(inbox.stats().applied()).isEqualTo(total);
    assertThat(shop.shipments()).isEqualTo(total);
    assertThat(shop.shippedTwice()).isEmpty();
    assertThat(shop.outbox.count(OutboxStatus.SENT)).isEqualTo(total);
  }

  @Test
  void aConsumerThatDiesAfterCommittingABatchGetsItAgainAndTheInboxSkipsItAll() throws Exception {
    broker = unsubscribed(services.amqpUri());
    RabbitBroker doomed = unsubscribed(services.amqpUri());
    List<Integer> diedWith = Collections.synchronizedList(new ArrayList<>());
    // The doomed consumer's process dies right after its first batch committed, before it
    // acknowledged anything: its connection is gone, so the broker delivers the batch again.
    doomed.subscribeBatches(
        queue,
        List.of("orders.placed"),
        batch -> {
          int settled = inbox.receiveAll(batch);
          diedWith.add(settled);
          doomed.close();
          throw new IllegalStateException("the consumer's process died");
        });
    int total = 20;
    for (int i = 0; i < total; i++) {
      shop.placeOrder("b" + i, "orders.placed");
    }
    try (Relay relay = Relay.builder(shop.outbox, broker).build()) {
      assertThat(relay.runOnce().published()).isEqualTo(total);
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> !diedWith.isEmpty());

    broker.subscribeBatches(queue, List.of("orders.placed"), inbox::receiveAll);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> inbox.stats().applied() + inbox.stats().duplicates() >= total + diedWith.get(0));
    assertThat(diedWith).hasSize(1);
    assertThat(inbox.stats().duplicates()).isEqualTo(diedWith.get(0).longValue());
    assertThat(inbox.stats().applied()).isEqualTo(total);
    assertThat(shop.shipments()).isEqualTo(total);
    assertThat(shop.shippedTwice()).isEmpty();
  }

  @Test
  void aMessageFailingInsideABatchIsRedeliveredWithTheOnesAfterItAndEachAppliesOnce()
      throws Exception {
    // c3 fails twice: inside its batch and then alone, so it and the ones after it come again.
    AtomicInteger c3Attempts = new AtomicInteger();
    Inbox flaky =
        Inbox.builder(tables, "shipping")
            .handler(
                "order.placed",
                (c, m) -> {
                  ShopFixture.ship(c, m);
                  if (m.key().equals("c3") && c3Attempts.incrementAndGet() <= 2) {
                    throw new IllegalStateException("a neighbour timed out");
                  }
                })
            .build();
    broker = unsubscribed(services.amqpUri());
    List<Integer> batchSizes = Collections.synchronizedList(new ArrayList<>());
    broker.subscribeBatches(
        queue,
        List.of("orders.placed"),
        batch -> {
          batchSizes.add(batch.size());
          return flaky.receiveAll(batch);
        });
    int total = 10;
    for (int i = 0; i < total; i++) {
      shop.placeOrder("c" + i, "orders.placed");
    }
    try (Relay relay = Relay.builder(shop.outbox, broker).build()) {
      assertThat(relay.runOnce().published()).isEqualTo(total);
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> flaky.stats().applied() == total);
    assertThat(c3Attempts).hasValue(3);
    assertThat(shop.shipments()).isEqualTo(total);
    assertThat(shop.shippedTwice()).isEmpty();
    assertThat(batchSizes.stream().mapToInt(Integer::intValue).sum())
        .as("c3 and the messages after it in its batch came twice")
        .isGreaterThan(total);
  }

  @Test
  void badMessagesAreParkedVisiblyAndAcknowledgedNeverLost() throws Exception {
    broker = broker(services.amqpUri());
    try (Connection c = db.primary().getConnection()) {
      c.setAutoCommit(false);
      shop.outbox.append(c, Message.of("u1", "orders.placed", "o1", "order.cancelled", "{}"));
      shop.outbox.append(c, Message.of("j1", "orders.placed", "o1", "order.json", "<xml/>"));
      c.commit();
    }
    try (Relay relay = Relay.builder(shop.outbox, broker).build()) {
      relay.runOnce();
    }
    // A message from another producer: no id, no type, not JSON.
    publishRaw(services.amqpUri(), "orders.placed", "garbage");

    await().atMost(Duration.ofSeconds(20)).until(() -> inbox.parked(10).size() == 3);
    List<InboxEntry> parked = inbox.parked(10);
    assertThat(parked)
        .extracting(InboxEntry::reason)
        .anyMatch(r -> r.contains("unknown message type 'order.cancelled'"))
        .anyMatch(r -> r.contains("payload is not JSON"))
        .anyMatch(r -> r.contains("unknown message type 'unknown'"));
    assertThat(parked).extracting(e -> e.message().payload()).contains("garbage", "<xml/>");
    assertThat(results).containsOnly(InboxResult.PARKED);
    assertThat(shop.shipments()).isZero();
  }

  @Test
  void aPoisonMessageInADeliveredBatchIsParkedWithItsReasonAndTheOthersApplyOnce()
      throws Exception {
    broker = unsubscribed(services.amqpUri());
    List<Integer> batchSizes = Collections.synchronizedList(new ArrayList<>());
    broker.subscribeBatches(
        queue,
        List.of("orders.placed"),
        batch -> {
          batchSizes.add(batch.size());
          return inbox.receiveAll(batch);
        });
    try (Connection c = db.primary().getConnection()) {
      c.setAutoCommit(false);
      for (int i = 0; i < 6; i++) {
        shop.outbox.append(
            c, Message.of("evt-p" + i, "orders.placed", "p" + i, "order.placed", "p" + i));
        if (i == 2) {
          shop.outbox.append(
              c, Message.of("poison", "orders.placed", "p2", "order.json", "<xml/>"));
        }
      }
      c.commit();
    }
    try (Relay relay = Relay.builder(shop.outbox, broker).build()) {
      assertThat(relay.runOnce().published()).isEqualTo(7);
    }
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> inbox.stats().applied() == 6 && inbox.stats().parked() == 1);
    assertThat(inbox.parked(10))
        .singleElement()
        .satisfies(e -> {
          assertThat(e.message().id()).isEqualTo("poison");
          assertThat(e.reason()).contains("payload is not JSON");
          assertThat(e.message().payload()).isEqualTo("<xml/>");
        });
    assertThat(shop.shipments()).isEqualTo(6);
    assertThat(shop.shippedTwice()).isEmpty();
    assertThat(inbox.stats().duplicates()).isZero();
    broker.close();
    broker = null;
    assertThat(readyMessages(services.amqpUri()))
        .as("every delivery was applied or parked, then acknowledged; none waits again")
        .isZero();
  }

  private long readyMessages(java.net.URI uri) throws Exception {
    ConnectionFactory f = new ConnectionFactory();
    f.setUri(uri);
    try (com.rabbitmq.client.Connection c = f.newConnection();
        Channel ch = c.createChannel()) {
      return ch.queueDeclarePassive(queue).getMessageCount();
    }
  }

  @Test
  void aDestinationNoQueueIsBoundForFailsThePublishInsteadOfDroppingIt() throws Exception {
    broker = broker(services.amqpUri());
    shop.placeOrder("o1", "nobody.listens");
    try (Relay relay = Relay.builder(shop.outbox, broker).build()) {
      assertThat(relay.runOnce().failed()).isEqualTo(1);
    }
    assertThat(shop.outbox.find("evt-o1").orElseThrow().lastError())
        .contains("unroutable")
        .contains("evt-o1");
  }

  @Test
  void theBrokerRestartedMidFlowLosesNothingAndAppliesNothingTwice() throws Exception {
    java.net.URI uri = services.restartableAmqpUri();
    broker = unsubscribed(uri);
    // The batching consumer: one inbox transaction and one acknowledgement per delivered batch.
    broker.subscribeBatches(queue, List.of("orders.placed"), inbox::receiveAll);
    int total = 60;
    try (Scheduler scheduler = Scheduler.system("relay-it");
        Relay relay =
            Relay.builder(shop.outbox, broker)
                .scheduler(scheduler)
                .pollInterval(Duration.ofMillis(50))
                .backoff(Duration.ofMillis(200), Duration.ofSeconds(1))
                .maxAttempts(1_000)
                .build()
                .start()) {
      for (int i = 0; i < total / 3; i++) {
        shop.placeOrder("r" + i, "orders.placed");
      }
      await().atMost(Duration.ofSeconds(20)).until(() -> shop.shipments() >= total / 3);
      // Restart the broker while the next third is being written and relayed.
      Thread restart = Thread.ofPlatform().start(services::restartRestartableAmqp);
      for (int i = total / 3; i < 2 * total / 3; i++) {
        shop.placeOrder("r" + i, "orders.placed");
      }
      restart.join();
      for (int i = 2 * total / 3; i < total; i++) {
        shop.placeOrder("r" + i, "orders.placed");
      }
      await()
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> shop.shipments() >= total && shop.outbox.count(OutboxStatus.PENDING) == 0);
      assertThat(relay.stats().published()).isGreaterThanOrEqualTo(total);
    } finally {
      deleteQueue(uri);
    }
    assertThat(shop.shipments()).isEqualTo(total);
    assertThat(shop.shippedTwice()).isEmpty();
    assertThat(shop.outbox.count(OutboxStatus.SENT)).isEqualTo(total);
    assertThat(shop.outbox.count(OutboxStatus.DEAD)).isZero();
  }

  private void publishRaw(java.net.URI uri, String routingKey, String body) throws Exception {
    ConnectionFactory f = new ConnectionFactory();
    f.setUri(uri);
    try (com.rabbitmq.client.Connection c = f.newConnection();
        Channel ch = c.createChannel()) {
      ch.confirmSelect();
      ch.basicPublish(
          exchange,
          routingKey,
          new AMQP.BasicProperties.Builder().deliveryMode(2).build(),
          body.getBytes(StandardCharsets.UTF_8));
      ch.waitForConfirmsOrDie(5_000);
    }
  }

  /** A DataSource that stops giving connections once killed: the relay's process is gone. */
  static final class KillableDataSource implements DataSource {
    private final DataSource delegate;
    private volatile boolean dead;

    KillableDataSource(DataSource delegate) {
      this.delegate = delegate;
    }

    void kill() {
      dead = true;
    }

    @Override
    public Connection getConnection() throws SQLException {
      if (dead) {
        throw new SQLException("the relay's process is dead");
      }
      return delegate.getConnection();
    }

    @Override
    public Connection getConnection(String user, String password) throws SQLException {
      return getConnection();
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
      return delegate.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
      delegate.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
      delegate.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
      return delegate.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
      return delegate.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
      return delegate.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
      return delegate.isWrapperFor(iface);
    }
  }
}
