package dev.cohort.messaging.nats;

import dev.cohort.messaging.Broker;
import dev.cohort.messaging.BrokerContract;
import io.nats.client.api.ConsumerInfo;
import java.time.Duration;

/**
 * {@link BrokerContract} on a real NATS server with JetStream (the private one of {@code
 * scripts/services}, which the restart test restarts): a stream and subject prefix of the test's
 * own.
 */
class NatsBrokerIT extends BrokerContract {
  private final String stream = "COHORT_IT_" + run;

  @Override
  protected Broker newBroker(boolean restartable) {
    return NatsBroker.builder(services.natsUri()).stream(stream)
        .subjectPrefix("it" + run)
        .ackTimeout(Duration.ofSeconds(5))
        .reconnectWait(Duration.ofMillis(200))
        // A consumer that died holds its batch this long before JetStream delivers it again; and
        // a delivery waiting this long in a live consumer's queue comes again too (the duplicates
        // the tests count would be off), so not shorter than a slow machine needs.
        .ackWait(Duration.ofSeconds(5))
        .build();
  }

  @Override
  protected void restartServer() {
    services.restartNats();
  }

  @Override
  protected boolean dropsRepublishedIds() {
    return true;
  }

  /**
   * Observed on nats-server 2.9.10: after a consumer died with deliveries unacknowledged, the next
   * consumer sometimes got one of them twice (one extra copy in a 20-message run, 1 in 4 runs).
   */
  @Override
  protected boolean redeliversGivenBackMessagesOnce() {
    return false;
  }

  @Override
  protected long unacknowledged() throws Exception {
    return NatsAdmin.with(
        services.natsUri(),
        c -> {
          ConsumerInfo info = c.jetStreamManagement().getConsumerInfo(stream, queue);
          return info.getNumPending() + info.getNumAckPending();
        });
  }

  @Override
  protected void cleanUp(boolean restartable) throws Exception {
    NatsAdmin.deleteStream(services.natsUri(), stream);
  }
}
