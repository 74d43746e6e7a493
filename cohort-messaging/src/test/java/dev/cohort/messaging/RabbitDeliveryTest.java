package dev.cohort.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Envelope;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How a RabbitMQ delivery becomes a {@link Message}, including deliveries from other producers. */
class RabbitDeliveryTest {
  private static byte[] body(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void anOutboxMessageComesBackWithEveryField() {
    AMQP.BasicProperties props =
        new AMQP.BasicProperties.Builder()
            .messageId("m1")
            .type("order.placed")
            .headers(Map.of(RabbitBroker.KEY_HEADER, "o1", RabbitBroker.SAGA_HEADER, "s1"))
            .build();
    Message m =
        RabbitBroker.toMessage(new Envelope(1, false, "x", "orders.placed"), props, body("{}"));
    assertThat(m).isEqualTo(new Message("m1", "orders.placed", "o1", "order.placed", "s1", "{}"));
  }

  @Test
  void aForeignMessageWithoutIdGetsTheSameDerivedIdOnEveryDelivery() {
    AMQP.BasicProperties props = new AMQP.BasicProperties.Builder().build();
    Message first = RabbitBroker.toMessage(new Envelope(1, false, "x", "a.b"), props, body("hi"));
    Message again = RabbitBroker.toMessage(new Envelope(2, true, "x", "a.b"), props, body("hi"));
    assertThat(first.id()).startsWith("sha256:").isEqualTo(again.id());
    assertThat(first.type()).isEqualTo("unknown");
  }

  @Test
  void fieldsThatCannotBeKeptStillYieldAMessageToPark() {
    AMQP.BasicProperties props =
        new AMQP.BasicProperties.Builder()
            .messageId("m2")
            .type("t")
            .headers(Map.of(RabbitBroker.KEY_HEADER, "k".repeat(300)))
            .build();
    Message m =
        RabbitBroker.toMessage(new Envelope(1, false, "x", "has spaces"), props, body("kept"));
    assertThat(m.id()).isEqualTo("m2");
    assertThat(m.type()).isEqualTo(RabbitBroker.INVALID);
    assertThat(m.payload()).isEqualTo("kept");
  }
}
