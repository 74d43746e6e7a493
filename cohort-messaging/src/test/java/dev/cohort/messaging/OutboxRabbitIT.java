package dev.cohort.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConnectionFactory;
import dev.cohort.testsupport.DatabasePair;
import dev.cohort.testsupport.TestServices;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Outbox → RabbitMQ → inbox on real PostgreSQL and real RabbitMQ: what only RabbitMQ does (its
 * unroutable returns, deliveries from other AMQP producers). What every broker does is {@link
 * BrokerContract}, run here by {@link RabbitBrokerIT}.
 */
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
    inbox = ShopFixture.shippingInbox(tables);
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
}
