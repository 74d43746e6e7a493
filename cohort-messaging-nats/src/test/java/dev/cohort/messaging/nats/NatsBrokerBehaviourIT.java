package dev.cohort.messaging.nats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.cohort.messaging.BrokerException;
import dev.cohort.messaging.Inbox;
import dev.cohort.messaging.InboxEntry;
import dev.cohort.messaging.InboxResult;
import dev.cohort.messaging.InvalidMessageException;
import dev.cohort.messaging.Message;
import dev.cohort.messaging.MessageTooLargeException;
import dev.cohort.messaging.MessagingTables;
import dev.cohort.testsupport.DatabasePair;
import dev.cohort.testsupport.TestServices;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What only NatsBroker does, on the real NATS server of {@code scripts/services}. */
class NatsBrokerBehaviourIT {
  private final String run = UUID.randomUUID().toString().substring(0, 8);
  private final String stream = "COHORT_IT_" + run;
  private final String prefix = "it" + run;
  private TestServices services;
  private NatsBroker broker;

  @BeforeEach
  void setUp() {
    services = TestServices.load();
    broker = builder().build();
  }

  private NatsBroker.Builder builder() {
    return NatsBroker.builder(services.natsUri()).stream(stream)
        .subjectPrefix(prefix)
        .ackTimeout(Duration.ofSeconds(5));
  }

  @AfterEach
  void tearDown() throws Exception {
    broker.close();
    NatsAdmin.deleteStream(services.natsUri(), stream);
    services.close();
  }

  private long storedMessages() throws Exception {
    return NatsAdmin.with(
        services.natsUri(),
        c -> c.jetStreamManagement().getStreamInfo(stream).getStreamState().getMsgCount());
  }

  @Test
  void aMessageOverTheServersMaxPayloadFailsItsBatchBeforeAnythingIsPublished() throws Exception {
    int limit = broker.maxPayloadBytes();
    // The longest fields, every character escaped to 9 header bytes: still within the reserve.
    Message fits =
        new Message(
            "€".repeat(Message.MAX_ID_LENGTH),
            "orders.placed",
            "€".repeat(Message.MAX_NAME_LENGTH),
            "€".repeat(Message.MAX_NAME_LENGTH),
            "€".repeat(Message.MAX_ID_LENGTH),
            "x".repeat(limit));
    Message tooLarge = Message.of("large", "orders.placed", "k", "t", "x".repeat(limit + 8 * 1024));
    assertThatThrownBy(() -> broker.publish(List.of(fits, tooLarge)))
        .isInstanceOf(BrokerException.class)
        .hasMessageContaining("nothing was published")
        .hasMessageContaining("'large'")
        .hasMessageContaining("max_payload")
        .cause()
        .isInstanceOf(MessageTooLargeException.class);
    assertThat(storedMessages()).isZero();

    broker.publish(List.of(fits));
    assertThat(storedMessages()).as("maxPayloadBytes() is a payload the server takes").isOne();
  }

  @Test
  void aDestinationThatIsNoSubjectFailsItsBatchBeforeAnythingIsPublished() throws Exception {
    Message good = Message.of("g", "orders.placed", "k", "t", "{}");
    Message bad = Message.of("b", "orders..placed", "k", "t", "{}");
    assertThatThrownBy(() -> broker.publish(List.of(good, bad)))
        .isInstanceOf(BrokerException.class)
        .hasMessageContaining("orders..placed")
        .cause()
        .isInstanceOf(InvalidMessageException.class);
    assertThat(storedMessages()).isZero();
  }

  @Test
  void aRepublishWithinTheDuplicateWindowIsDroppedByJetStream() throws Exception {
    Message m = Message.of("once", "orders.placed", "k", "t", "{}");
    broker.publish(List.of(m));
    broker.publish(List.of(m));
    broker.publishAsync(List.of(m, m)).get();
    assertThat(storedMessages()).isOne();
  }

  @Test
  void aRepublishAfterTheDuplicateWindowReachesTheInboxWhichSkipsIt() throws Exception {
    broker.close();
    broker = builder().duplicateWindow(Duration.ofMillis(500)).build();
    try (DatabasePair db = services.postgres().isolated("nats_it")) {
      MessagingTables tables = MessagingTables.of(db.primary()).migrate();
      Inbox inbox = Inbox.builder(tables, "shipping").handler("order.placed", (c, m) -> {}).build();
      List<InboxResult> results = Collections.synchronizedList(new ArrayList<>());
      broker.subscribe("shipping", List.of("orders.*"), m -> results.add(inbox.receive(m)));
      Message m = Message.of("late", "orders.placed", "k", "order.placed", "{}");
      broker.publish(List.of(m));
      await().atMost(Duration.ofSeconds(20)).until(() -> results.size() == 1);
      // A relay that comes back after the window publishes the message again: JetStream takes it.
      await()
          .pollDelay(Duration.ofSeconds(1))
          .atMost(Duration.ofSeconds(20))
          .until(() -> {
            broker.publish(List.of(m));
            return storedMessages() == 2;
          });
      await().atMost(Duration.ofSeconds(20)).until(() -> results.size() == 2);
      assertThat(results).containsExactly(InboxResult.APPLIED, InboxResult.DUPLICATE_SKIPPED);
    }
  }

  @Test
  void aMessageFromAnotherProducerIsParkedUnderAnIdFromItsStreamSequence() throws Exception {
    try (DatabasePair db = services.postgres().isolated("nats_it")) {
      MessagingTables tables = MessagingTables.of(db.primary()).migrate();
      Inbox inbox = Inbox.builder(tables, "shipping").handler("order.placed", (c, m) -> {}).build();
      broker.subscribe("shipping", List.of("orders.placed"), inbox::receive);
      broker.maxPayloadBytes(); // connects, creating the stream
      NatsAdmin.with(
          services.natsUri(),
          c ->
              c.jetStream()
                  .publish(prefix + ".orders.placed", "garbage".getBytes(StandardCharsets.UTF_8)));
      await().atMost(Duration.ofSeconds(20)).until(() -> inbox.parked(10).size() == 1);
      InboxEntry parked = inbox.parked(10).get(0);
      assertThat(parked.message().id()).isEqualTo("nats:" + stream + ":1");
      assertThat(parked.message().payload()).isEqualTo("garbage");
      assertThat(parked.reason()).contains("unknown message type 'unknown'");
    }
  }

  @Test
  void severalDestinationsNeedAServerThatFiltersOnSeveralSubjects() throws Exception {
    broker.maxPayloadBytes(); // connects
    boolean old =
        NatsAdmin.with(services.natsUri(), c -> c.getServerInfo().isOlderThanVersion("2.10.0"));
    List<String> seen = Collections.synchronizedList(new ArrayList<>());
    if (old) {
      assertThatThrownBy(() ->
              broker.subscribe(
                  "shipping", List.of("orders.placed", "orders.paid"), m -> seen.add(m.id())))
          .isInstanceOf(BrokerException.class)
          .hasMessageContaining("NATS server 2.10 or later");
      return;
    }
    broker.subscribe("shipping", List.of("orders.placed", "orders.paid"), m -> seen.add(m.id()));
    broker.publish(
        List.of(
            Message.of("a", "orders.placed", "k", "t", "{}"),
            Message.of("b", "orders.shipped", "k", "t", "{}"),
            Message.of("c", "orders.paid", "k", "t", "{}")));
    await().atMost(Duration.ofSeconds(20)).until(() -> seen.size() == 2);
    assertThat(seen).containsExactly("a", "c");
  }
}
