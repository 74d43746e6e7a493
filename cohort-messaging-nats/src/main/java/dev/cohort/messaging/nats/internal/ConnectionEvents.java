package dev.cohort.messaging.nats.internal;

import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.ErrorListener;
import io.nats.client.JetStreamSubscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection's events, logged through SLF4J (the client's own listener writes every failed
 * reconnect attempt to java.util.logging as SEVERE), and the reconnect handed on: a restarted
 * server forgot the consumers' pull requests, which the client would only notice at its next
 * heartbeat alarm, so the broker renews them at once.
 */
public final class ConnectionEvents implements ConnectionListener, ErrorListener {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectionEvents.class);

  private final String url;
  private final Runnable onReconnect;

  public ConnectionEvents(String url, Runnable onReconnect) {
    this.url = url;
    this.onReconnect = onReconnect;
  }

  // The one abstract method of the interface, deprecated in favour of a default one that calls it.
  @SuppressWarnings("deprecation")
  @Override
  public void connectionEvent(Connection connection, Events event) {
    switch (event) {
      case DISCONNECTED -> LOG.warn("lost the connection to NATS at {}; reconnecting", url);
      case RECONNECTED -> {
        LOG.info("reconnected to NATS at {}", url);
        var unused = Thread.ofVirtual().name("cohort-nats-renew").start(onReconnect);
      }
      default -> LOG.debug("NATS connection to {}: {}", url, event);
    }
  }

  @Override
  public void errorOccurred(Connection connection, String error) {
    LOG.warn("NATS at {} reported an error: {}", url, error);
  }

  @Override
  public void exceptionOccurred(Connection connection, Exception exp) {
    LOG.debug("NATS connection to {}: {}", url, exp.toString());
  }

  @Override
  public void heartbeatAlarm(
      Connection connection,
      JetStreamSubscription sub,
      long lastStreamSequence,
      long lastConsumerSequence) {
    LOG.debug("NATS consumer heartbeat missed after stream sequence {}", lastStreamSequence);
  }
}
