package dev.cohort.messaging;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConnectionFactory;
import java.net.URI;
import java.time.Duration;

/** {@link BrokerContract} on RabbitMQ: a topic exchange and a durable queue of the test's own. */
class RabbitBrokerIT extends BrokerContract {
  private final String exchange = "cohort.it." + run;

  private URI uri(boolean restartable) {
    return restartable ? services.restartableAmqpUri() : services.amqpUri();
  }

  @Override
  protected Broker newBroker(boolean restartable) {
    return RabbitBroker.builder(uri(restartable))
        .exchange(exchange)
        .recoveryInterval(Duration.ofMillis(500))
        .confirmTimeout(Duration.ofSeconds(5))
        .build();
  }

  @Override
  protected void restartServer() {
    services.restartRestartableAmqp();
  }

  /** Ready messages; a consumer's unacknowledged ones come back to ready when it closes. */
  @Override
  protected long unacknowledged() throws Exception {
    ConnectionFactory f = new ConnectionFactory();
    f.setUri(uri(false));
    try (com.rabbitmq.client.Connection c = f.newConnection();
        Channel ch = c.createChannel()) {
      return ch.queueDeclarePassive(queue).getMessageCount();
    }
  }

  @Override
  protected void cleanUp(boolean restartable) throws Exception {
    ConnectionFactory f = new ConnectionFactory();
    f.setUri(uri(restartable));
    try (com.rabbitmq.client.Connection c = f.newConnection();
        Channel ch = c.createChannel()) {
      ch.queueDelete(queue);
      ch.exchangeDelete(exchange);
    }
  }
}
