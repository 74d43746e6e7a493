package dev.cohort.messaging;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.slf4j.LoggerFactory;

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
   * Starts publishing {@code messages} in list order and returns at once; the future completes when
   * the broker has taken responsibility for every one of them, as {@link #publish} returns, or
   * fails with a {@link BrokerException} as it throws. Messages of calls made one after the other
   * reach the broker in call order, so the relay can keep several batches in flight (of different
   * aggregates: a failed batch says nothing of the others).
   *
   * <p>The default publishes before it returns; a broker with asynchronous confirms overrides it.
   */
  default CompletableFuture<Void> publishAsync(List<Message> messages) {
    try {
      publish(messages);
      return CompletableFuture.completedFuture(null);
    } catch (BrokerException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * Delivers the messages sent to any of {@code destinations} to {@code handler}, through a durable
   * queue named {@code queue} (created if missing). A message is acknowledged only after the
   * handler returned; if it throws, the broker delivers the message again.
   */
  Subscription subscribe(String queue, List<String> destinations, MessageHandler handler)
      throws BrokerException;

  /**
   * Like {@link #subscribe}, but hands the consumer the deliveries waiting at once, in delivery
   * order, so that it can apply them in one local transaction ({@link Inbox#receiveAll}) and the
   * broker can acknowledge them together. The messages the handler reports as handled are
   * acknowledged; the others (all of them when it throws) are delivered again.
   *
   * <p>The default hands over one message at a time; a broker that can batch overrides it.
   */
  default Subscription subscribeBatches(
      String queue, List<String> destinations, BatchHandler handler) throws BrokerException {
    Objects.requireNonNull(handler, "handler must not be null");
    return subscribe(
        queue,
        destinations,
        message -> {
          if (handler.handle(List.of(message)) != 1) {
            throw new BrokerException(
                "the consumer of " + queue + " did not handle message " + message.id());
          }
        });
  }

  @Override
  void close();

  /** What a consumer does with one delivery; return normally only when it is safe to forget. */
  @FunctionalInterface
  interface MessageHandler {
    void handle(Message message) throws Exception;
  }

  /** What a batching consumer does with the deliveries waiting at once. */
  @FunctionalInterface
  interface BatchHandler {
    /**
     * Handles {@code messages} in order and returns how many of the first ones are safe to forget
     * (all of them: {@code messages.size()}); the rest are delivered again. Throwing is returning
     * 0.
     */
    int handle(List<Message> messages) throws Exception;

    /**
     * {@code handler} as a batch handler: the messages one after another until one throws, which is
     * logged; that one and those after it are delivered again.
     */
    static BatchHandler oneByOne(String queue, MessageHandler handler) {
      Objects.requireNonNull(handler, "handler must not be null");
      return batch -> {
        for (int i = 0; i < batch.size(); i++) {
          try {
            handler.handle(batch.get(i));
          } catch (Exception e) {
            LoggerFactory.getLogger(Broker.class)
                .warn(
                    "consumer of {} failed message {}; it will be redelivered",
                    queue,
                    batch.get(i).id(),
                    e);
            return i;
          }
        }
        return batch.size();
      };
    }
  }

  /** A running consumer; closing it stops the deliveries. */
  interface Subscription extends AutoCloseable {
    @Override
    void close();
  }
}
