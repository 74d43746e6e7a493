package dev.cohort.messaging.nats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cohort.messaging.BrokerException;
import dev.cohort.messaging.InvalidMessageException;
import dev.cohort.messaging.Message;
import dev.cohort.messaging.nats.internal.HeaderValues;
import dev.cohort.messaging.nats.internal.NatsMessages;
import dev.cohort.messaging.nats.internal.Subjects;
import io.nats.client.impl.Headers;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Settings, names and the header mapping; no server needed. */
class NatsBrokerSettingsTest {
  private static final URI URL = URI.create("nats://127.0.0.1:4222");

  @Test
  void badSettingsAreRefusedNamingTheSetting() {
    assertThatThrownBy(() -> NatsBroker.builder(URI.create("amqp://localhost")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a NATS URL");
    assertThatThrownBy(() -> NatsBroker.builder(URL).stream("a.b"))
        .hasMessageContaining("stream 'a.b'");
    assertThatThrownBy(() -> NatsBroker.builder(URL).subjectPrefix("cohort.>"))
        .hasMessageContaining("subject prefix");
    assertThatThrownBy(() -> NatsBroker.builder(URL).ackTimeout(Duration.ZERO))
        .hasMessageContaining("ackTimeout");
    assertThatThrownBy(() -> NatsBroker.builder(URL).ackWait(Duration.ofSeconds(-1)))
        .hasMessageContaining("ackWait");
    assertThatThrownBy(() -> NatsBroker.builder(URL).prefetch(4).consumerBatchSize(5).build())
        .hasMessageContaining("consumerBatchSize 5");
    assertThatThrownBy(() -> NatsBroker.builder(URL).credentialsFile(Path.of("/no/such.creds")))
        .hasMessageContaining("/no/such.creds");
    assertThatThrownBy(() ->
            NatsBroker.builder(URL)
                .duplicateWindow(Duration.ofDays(2))
                .maxAge(Duration.ofDays(1))
                .build())
        .hasMessageContaining("duplicateWindow");
  }

  @Test
  void aQueueOrDestinationNatsCannotNameIsRefusedBeforeConnecting() {
    try (NatsBroker broker = NatsBroker.connect(URI.create("nats://127.0.0.1:1"))) {
      assertThatThrownBy(() -> broker.subscribe("shipping.v1", List.of("orders.placed"), m -> {}))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("queue 'shipping.v1'");
      assertThatThrownBy(() -> broker.subscribe("shipping", List.of("orders..placed"), m -> {}))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("destination 'orders..placed'");
      assertThatThrownBy(() -> broker.subscribe("shipping", List.of(), m -> {}))
          .hasMessageContaining("at least one destination");
      assertThat(broker.subject("orders.placed")).isEqualTo("cohort.orders.placed");
      assertThatThrownBy(() -> broker.subject(".orders"))
          .isInstanceOf(InvalidMessageException.class);
    }
  }

  @Test
  void subscribedDestinationsBecomeFilterSubjectsWithNatsWildcardsAndAFinalHash() {
    Subjects subjects = new Subjects("cohort");
    assertThat(subjects.filter("orders.placed")).isEqualTo("cohort.orders.placed");
    assertThat(subjects.filter("orders.*")).isEqualTo("cohort.orders.*");
    assertThat(subjects.filter("orders.>")).isEqualTo("cohort.orders.>");
    assertThat(subjects.filter("#")).isEqualTo("cohort.>");
    assertThat(subjects.filter("orders.#")).isEqualTo("cohort.orders.>");
    assertThatThrownBy(() -> subjects.filter("orders.#.paid"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'orders.#.paid'");
    assertThatThrownBy(() -> subjects.filter("orders.>.paid"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(subjects.destination("cohort.orders.placed")).isEqualTo("orders.placed");
  }

  @Test
  void anUnreachableServerIsABrokerExceptionNamingIt() {
    try (NatsBroker broker =
        NatsBroker.builder(URI.create("nats://127.0.0.1:1"))
            .ackTimeout(Duration.ofSeconds(1))
            .build()) {
      assertThatThrownBy(() -> broker.publish(List.of(Message.of("m1", "a.b", "k", "t", "{}"))))
          .isInstanceOf(BrokerException.class)
          .hasMessageContaining("cannot connect to NATS at 127.0.0.1:1");
    }
  }

  @Test
  void everyFieldSurvivesTheHeadersWhateverItsCharacters() {
    Message m = new Message("id ü%41", "orders.placed", "ключ\r\n", "order.placed", "s-1", "{}");
    Headers h = NatsMessages.headers(m);
    Message back =
        NatsMessages.toMessage("orders.placed", h, "{}".getBytes(StandardCharsets.UTF_8), "S", 7);
    assertThat(back).isEqualTo(m);
    assertThat(HeaderValues.decode("plain-id_1")).isEqualTo("plain-id_1");
    assertThat(HeaderValues.decode("100%")).isEqualTo("100%");
  }

  @Test
  void aForeignMessageGetsAnIdFromItsStreamSequenceAndATypeTheInboxParks() {
    Message first =
        NatsMessages.toMessage("a.b", null, "hi".getBytes(StandardCharsets.UTF_8), "S", 42);
    Message again =
        NatsMessages.toMessage(
            "a.b", new Headers(), "hi".getBytes(StandardCharsets.UTF_8), "S", 42);
    assertThat(first.id()).isEqualTo("nats:S:42").isEqualTo(again.id());
    assertThat(first.type()).isEqualTo("unknown");
    Message unkeepable =
        NatsMessages.toMessage("has space", null, "kept".getBytes(StandardCharsets.UTF_8), "S", 43);
    assertThat(unkeepable.type()).isEqualTo(NatsMessages.INVALID);
    assertThat(unkeepable.payload()).isEqualTo("kept");
  }
}
