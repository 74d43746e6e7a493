package dev.cohort.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.cohort.api.Scheduler;
import dev.cohort.testsupport.DatabasePair;
import dev.cohort.testsupport.TestServices;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Broker} does for the outbox's relay and the inbox, on a real server and real
 * PostgreSQL: one subclass per broker supplies brokers, a restart of its server and clean-up. Each
 * test works in names of its own ({@link #run}), so a run leaves nothing another one reads.
 */
public abstract class BrokerContract {
  /** This test's own names: exchange or stream, queue. */
  protected final String run = UUID.randomUUID().toString().substring(0, 8);

  /** The durable queue (consumer) the tests consume from; valid on every broker. */
  protected final String queue = "shipping-" + run;

  protected TestServices services;
  private DatabasePair db;
  private MessagingTables tables;
  private ShopFixture shop;
  private Inbox inbox;
  private final List<Broker> brokers = new ArrayList<>();
  private boolean usedRestartable;

  /**
   * A broker of its own (a new connection) in this test's names; on the server {@link
   * #restartServer()} restarts when {@code restartable}.
   */
  protected abstract Broker newBroker(boolean restartable) throws Exception;

  /** Stops and starts the restartable server; returns once it answers again. */
  protected abstract void restartServer();

  /** Deliveries of {@link #queue} not acknowledged yet, waiting or in a consumer's hands. */
  protected abstract long unacknowledged() throws Exception;

  /** Deletes what this test created on the server (best effort). */
  protected abstract void cleanUp(boolean restartable) throws Exception;

  /**
   * Whether the broker itself drops a message published again with an id it already stored (a
   * publish retried after the relay died): then no second copy reaches the inbox, else the inbox
   * skips it.
   */
  protected boolean dropsRepublishedIds() {
    return false;
  }

  /**
   * Whether a consumer that dies gets back exactly the deliveries it held, each once, to the next
   * consumer; if not, the next one may get some twice (the inbox skips the extra copies).
   */
  protected boolean redeliversGivenBackMessagesOnce() {
    return true;
  }

  @BeforeEach
  void setUpShop() throws Exception {
    services = TestServices.load();
    db = services.postgres().isolated("broker_contract");
    tables = MessagingTables.of(db.primary()).migrate();
    shop = new ShopFixture(db.primary(), Outbox.builder(tables).build());
    inbox = ShopFixture.shippingInbox(tables);
  }

  @AfterEach
  void tearDownShop() throws Exception {
    for (Broker b : brokers.reversed()) {
      b.close();
    }
    try {
      cleanUp(false);
      if (usedRestartable) {
        cleanUp(true);
      }
    } finally {
      db.close();
      services.close();
    }
  }

  private Broker broker() throws Exception {
    return opened(newBroker(false));
  }

  private Broker opened(Broker b) {
    brokers.add(b);
    return b;
  }

  /** Closes the test's brokers: what their consumers held unacknowledged goes back. */
  private void closeBrokers() {
    for (Broker b : brokers.reversed()) {
      b.close();
    }
    brokers.clear();
  }

  @Test
  void messagesArriveOncePerPublishAndInPublishOrderPerKey() throws Exception {
    Broker broker = broker();
    Map<String, List<Integer>> byKey = new ConcurrentHashMap<>();
    AtomicInteger received = new AtomicInteger();
    broker.subscribe(
        queue,
        List.of("orders.placed"),
        m -> {
          byKey
              .computeIfAbsent(m.key(), k -> Collections.synchronizedList(new ArrayList<>()))
              .add(Integer.parseInt(m.payload()));
          received.incrementAndGet();
        });
    int perKey = 30;
    List<Message> batch = new ArrayList<>();
    for (int i = 0; i < perKey; i++) {
      for (String key : List.of("a", "b", "c")) {
        batch.add(Message.of(key + i + "-" + run, "orders.placed", key, "order.placed", "" + i));
      }
      if (batch.size() >= 9) {
        broker.publish(batch);
        batch.clear();
      }
    }
    broker.publish(batch);
    await().atMost(Duration.ofSeconds(20)).until(() -> received.get() >= 3 * perKey);
    List<Integer> expected = java.util.stream.IntStream.range(0, perKey).boxed().toList();
    assertThat(byKey).containsOnlyKeys("a", "b", "c");
    byKey.values().forEach(seen -> assertThat(seen).containsExactlyElementsOf(expected));
    assertThat(received).hasValue(3 * perKey);
  }

  @Test
  void aHandlerThatThrowsGetsTheMessageAgain() throws Exception {
    Broker broker = broker();
    List<String> attempts = Collections.synchronizedList(new ArrayList<>());
    Set<String> handled = ConcurrentHashMap.newKeySet();
    broker.subscribe(
        queue,
        List.of("orders.placed"),
        m -> {
          attempts.add(m.id());
          if (m.id().equals("m2") && attempts.stream().filter("m2"::equals).count() <= 2) {
            throw new IllegalStateException("a neighbour timed out");
          }
          handled.add(m.id());
        });
    List<Message> messages = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      messages.add(Message.of("m" + i, "orders.placed", "k" + i, "order.placed", "{}"));
    }
    broker.publish(messages);
    await().atMost(Duration.ofSeconds(20)).until(() -> handled.size() == 3);
    assertThat(attempts).filteredOn("m2"::equals).hasSize(3);
    assertThat(handled).containsExactlyInAnyOrder("m1", "m2", "m3");
  }

  @Test
  void aBatchConsumerGetsAgainExactlyWhatItDidNotHandle() throws Exception {
    Broker broker = broker();
    CountDownLatch published = new CountDownLatch(1);
    List<String> handled = Collections.synchronizedList(new ArrayList<>());
    AtomicInteger deliveries = new AtomicInteger();
    // The first batch waits until everything is published, so the next ones hold several; each
    // time only the first message of a batch is handled.
    broker.subscribeBatches(
        queue,
        List.of("orders.placed"),
        batch -> {
          published.await(20, TimeUnit.SECONDS);
          deliveries.addAndGet(batch.size());
          handled.add(batch.get(0).id());
          return 1;
        });
    int total = 10;
    List<Message> messages = new ArrayList<>();
    for (int i = 0; i < total; i++) {
      messages.add(Message.of("b" + i, "orders.placed", "k" + i, "order.placed", "{}"));
    }
    broker.publish(messages);
    published.countDown();
    await().atMost(Duration.ofSeconds(30)).until(() -> new HashSet<>(handled).size() == total);
    assertThat(handled).as("an acknowledged message never comes again").doesNotHaveDuplicates();
    assertThat(deliveries.get())
        .as("the messages after the first of a batch came again")
        .isGreaterThan(total);
    closeBrokers();
    assertThat(unacknowledged()).as("every handled message was acknowledged").isZero();
  }

  @Test
  void theOutboxRelaysToTheInboxWhichAppliesEachMessageOnce() throws Exception {
    Broker broker = broker();
    broker.subscribeBatches(queue, List.of("orders.placed"), inbox::receiveAll);
    int total = 25;
    try (Relay relay =
        Relay.builder(shop.outbox, broker).pollInterval(Duration.ofMillis(20)).build().start()) {
      for (int i = 0; i < total; i++) {
        shop.placeOrder("e" + i, "orders.placed");
      }
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> shop.shipments() == total && shop.outbox.count(OutboxStatus.PENDING) == 0);
      assertThat(relay.stats().published()).isEqualTo(total);
    }
    assertThat(shop.shippedTwice()).isEmpty();
    assertThat(shop.outbox.count(OutboxStatus.SENT)).isEqualTo(total);
    assertThat(inbox.stats().applied()).isEqualTo(total);
  }

  @Test
  void aRelayKilledBetweenPublishAndMarkSentPublishesAgainAndTheInboxSkipsTheDuplicates()
      throws Exception {
    Broker broker = broker();
    List<InboxResult> results = Collections.synchronizedList(new ArrayList<>());
    broker.subscribe(queue, List.of("orders.placed"), m -> results.add(inbox.receive(m)));
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

    // A broker may drop the second copies itself (JetStream's duplicate window); else every one
    // arrives and is skipped.
    int copies = dropsRepublishedIds() ? 5 : 10;
    await().atMost(Duration.ofSeconds(20)).until(() -> results.size() == copies);
    assertThat(results).filteredOn(r -> r == InboxResult.APPLIED).hasSize(5);
    assertThat(results).filteredOn(r -> r == InboxResult.DUPLICATE_SKIPPED).hasSize(copies - 5);
    assertThat(shop.shipments()).isEqualTo(5);
    assertThat(shop.shippedTwice()).isEmpty();
    assertThat(shop.outbox.count(OutboxStatus.SENT)).isEqualTo(5);
  }

  @Test
  void aStartedRelayKilledWithBatchesInFlightPublishesThemAgainAndTheBatchingInboxSkipsThem()
      throws Exception {
    Broker broker = broker();
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
    int duplicates = dropsRepublishedIds() ? 0 : handedOver.get();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> inbox.stats().applied() + inbox.stats().duplicates() == total + duplicates);
    assertThat(inbox.stats().duplicates())
        .as(
            "every message the doomed relay published comes again and is skipped, unless the"
                + " broker dropped the copy itself")
        .isEqualTo(duplicates);
    assertThat(handedOver.get()).isPositive();
    assertThat(inbox.stats().applied()).isEqualTo(total);
    assertThat(shop.shipments()).isEqualTo(total);
    assertThat(shop.shippedTwice()).isEmpty();
    assertThat(shop.outbox.count(OutboxStatus.SENT)).isEqualTo(total);
  }

  @Test
  void aConsumerThatDiesAfterCommittingABatchGetsItAgainAndTheInboxSkipsItAll() throws Exception {
    Broker broker = broker();
    Broker doomed = newBroker(false);
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
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> inbox.stats().applied() + inbox.stats().duplicates() >= total + diedWith.get(0));
    assertThat(diedWith).hasSize(1);
    if (redeliversGivenBackMessagesOnce()) {
      assertThat(inbox.stats().duplicates()).isEqualTo(diedWith.get(0).longValue());
    } else {
      assertThat(inbox.stats().duplicates()).isGreaterThanOrEqualTo(diedWith.get(0).longValue());
    }
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
    Broker broker = broker();
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
  void aPoisonMessageInADeliveredBatchIsParkedWithItsReasonAndTheOthersApplyOnce()
      throws Exception {
    Broker broker = broker();
    broker.subscribeBatches(queue, List.of("orders.placed"), inbox::receiveAll);
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
    closeBrokers();
    assertThat(unacknowledged())
        .as("every delivery was applied or parked, then acknowledged; none waits again")
        .isZero();
  }

  @Test
  void theBrokerRestartedMidFlowLosesNothingAndAppliesNothingTwice() throws Exception {
    usedRestartable = true;
    Broker broker = opened(newBroker(true));
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
      Thread restart = Thread.ofPlatform().start(this::restartServer);
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
    }
    assertThat(shop.shipments()).isEqualTo(total);
    assertThat(shop.shippedTwice()).isEmpty();
    assertThat(shop.outbox.count(OutboxStatus.SENT)).isEqualTo(total);
    assertThat(shop.outbox.count(OutboxStatus.DEAD)).isZero();
  }
}
