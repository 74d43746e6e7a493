package dev.cohort.messaging;

import java.util.ArrayList;
import java.util.List;

/**
 * A broker for the relay's unit tests: records what was published and fails the next publishes when
 * told to. The relay's behaviour against real RabbitMQ is proved by the *IT tests.
 */
final class ScriptedBroker implements Broker {
  final List<Message> published = new ArrayList<>();
  private int successesFirst;
  private int failuresLeft;

  void failNext(int times) {
    failuresLeft = times;
  }

  /** Takes the next {@code successes} publishes, then fails {@code times}. */
  synchronized void failAfter(int successes, int times) {
    successesFirst = successes;
    failuresLeft = times;
  }

  @Override
  public synchronized void publish(List<Message> messages) throws BrokerException {
    if (successesFirst > 0) {
      successesFirst--;
    } else if (failuresLeft > 0) {
      failuresLeft--;
      throw new BrokerException("scripted failure");
    }
    published.addAll(messages);
  }

  List<String> publishedIds() {
    return published.stream().map(Message::id).toList();
  }

  @Override
  public Subscription subscribe(String queue, List<String> destinations, MessageHandler handler) {
    throw new UnsupportedOperationException("the relay tests do not consume");
  }

  @Override
  public void close() {}
}
