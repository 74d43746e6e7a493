package dev.cohort.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.Delivery;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RabbitMqIT {
  @Test
  void publishedMessageIsConsumedWithItsHeaders() throws Exception {
    try (TestServices services = TestServices.load()) {
      ConnectionFactory factory = new ConnectionFactory();
      factory.setUri(services.amqpUri());
      try (Connection connection = factory.newConnection("cohort-smoke");
          Channel channel = connection.createChannel()) {
        String queue = channel.queueDeclare("", false, true, true, null).getQueue();
        BlockingQueue<Delivery> received = new LinkedBlockingQueue<>();
        channel.basicConsume(queue, true, (tag, delivery) -> received.add(delivery), tag -> {});

        channel.confirmSelect();
        AMQP.BasicProperties props =
            new AMQP.BasicProperties.Builder()
                .headers(Map.of("Cohort-Consistency", "pg:0/16B3748"))
                .build();
        channel.basicPublish("", queue, props, "hello".getBytes(StandardCharsets.UTF_8));
        channel.waitForConfirmsOrDie(10_000);

        Delivery message = received.poll(10, TimeUnit.SECONDS);
        assertThat(message).as("a message within 10 s").isNotNull();
        assertThat(new String(message.getBody(), StandardCharsets.UTF_8)).isEqualTo("hello");
        assertThat(message.getProperties().getHeaders().get("Cohort-Consistency"))
            .hasToString("pg:0/16B3748");
      }
    }
  }
}
