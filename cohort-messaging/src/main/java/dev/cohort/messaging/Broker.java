package dev.cohort.messaging;

import java.util.List;

/**
 * The message broker, behind the few operations the outbox relay and the inbox need, so that
 * RabbitMQ ({@link RabbitBroker}) can be joined by Kafka or NATS without touching them.
 */
public interface Broker extends AutoCloseable {
  /**
   * Publishes {@code messages} in list order and returns only when the broker has taken
   * responsibility for every one of them (RabbitMQ: a publisher confirm for each, and none returned
   * as unroutable).
   *
   * @throws BrokerException any of them may not have been taken; the caller publishes them all
   *     again (consumers deduplicate by {@link Message#id()})
   */
  void publish(List<Message> messages) throws BrokerException;

  /**
   * Delivers the messages sent to any of {@code destinations} to {@code handler}, through a durable
   * queue named {@code queue} (created if missing). A message is acknowledged only after the
   * handler returned; if it throws, the broker delivers the message again.
   */
  Subscription subscribe(String queue, List<String> destinations, MessageHandler handler)
      throws BrokerException;

  @Override
  void close();

  /** What a consumer does with one delivery; return normally only when it is safe to forget. */
  @FunctionalInterface
  interface MessageHandler {
    void handle(Message message) throws Exception;
  }

  /** A running consumer; closing it stops the deliveries. */
  interface Subscription extends AutoCloseable {
    @Override
    void close();
  }
}
