package dev.cohort.messaging;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.MessageProperties;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Broker} on RabbitMQ: messages go to one durable topic exchange with the destination as
 * routing key, persistent, with publisher confirms and the mandatory flag (a message no queue is
 * bound for comes back and fails the batch instead of vanishing). Consumers read durable queues
 * with manual acknowledgement: a message is acknowledged after the handler returned, and negatively
 * acknowledged (redelivered) when it threw.
 *
 * <p>Connections recover by themselves after the broker restarts (the client's automatic recovery,
 * consumers included); a publish while it is away fails with {@link BrokerException} and the relay
 * tries again later.
 */
public final class RabbitBroker implements Broker {
  public static final String DEFAULT_EXCHANGE = "cohort.events";
  public static final Duration DEFAULT_CONFIRM_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration DEFAULT_RECOVERY_INTERVAL = Duration.ofSeconds(1);
  public static final int DEFAULT_PREFETCH = 64;

  static final String KEY_HEADER = "cohort-key";
  static final String SAGA_HEADER = "cohort-saga";

  private static final Logger LOG = LoggerFactory.getLogger(RabbitBroker.class);

  private final ConnectionFactory factory;
  private final String exchange;
  private final Duration confirmTimeout;
  private final int prefetch;
  private final Set<String> returned = ConcurrentHashMap.newKeySet();
  private final Object publishLock = new Object();
  private Connection connection;
  private Channel publisher;

  private RabbitBroker(Builder b) {
    this.factory = new ConnectionFactory();
    try {
      factory.setUri(b.uri);
    } catch (Exception e) {
      throw new IllegalArgumentException(
          "'" + b.uri + "' is not an AMQP URI; expected amqp://user:pass@host:5672/vhost", e);
    }
    factory.setAutomaticRecoveryEnabled(true);
    factory.setTopologyRecoveryEnabled(true);
    factory.setNetworkRecoveryInterval(b.recoveryInterval.toMillis());
    factory.setConnectionTimeout((int) Math.min(Integer.MAX_VALUE, b.confirmTimeout.toMillis()));
    this.exchange = b.exchange;
    this.confirmTimeout = b.confirmTimeout;
    this.prefetch = b.prefetch;
  }

  public static Builder builder(URI uri) {
    return new Builder(uri);
  }

  /** A broker with every default, on {@code uri} (e.g. {@code amqp://guest:guest@host/%2F}). */
  public static RabbitBroker connect(URI uri) {
    return builder(uri).build();
  }

  public String exchange() {
    return exchange;
  }

  @Override
  public void publish(List<Message> messages) throws BrokerException {
    if (messages.isEmpty()) {
      return;
    }
    synchronized (publishLock) {
      Channel channel = publisher();
      returned.clear();
      try {
        for (Message m : messages) {
          channel.basicPublish(
              exchange,
              m.destination(),
              true,
              properties(m),
              m.payload().getBytes(StandardCharsets.UTF_8));
        }
        if (!channel.waitForConfirms(confirmTimeout.toMillis())) {
          throw new BrokerException(
              "RabbitMQ refused (nack) at least one of " + messages.size() + " messages");
        }
      } catch (IOException | RuntimeException e) {
        dropPublisher();
        throw new BrokerException("publishing to RabbitMQ failed: " + e.getMessage(), e);
      } catch (TimeoutException e) {
        dropPublisher();
        throw new BrokerException(
            "RabbitMQ did not confirm " + messages.size() + " messages within " + confirmTimeout,
            e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        dropPublisher();
        throw new BrokerException("interrupted while waiting for RabbitMQ's confirms", e);
      }
      if (!returned.isEmpty()) {
        throw new BrokerException(
            "RabbitMQ returned "
                + returned.size()
                + " message(s) as unroutable: no queue is bound to their destination on exchange '"
                + exchange
                + "' (ids "
                + List.copyOf(returned)
                + "); subscribe a consumer first");
      }
    }
  }

  private AMQP.BasicProperties properties(Message m) {
    Map<String, Object> headers = new HashMap<>();
    headers.put(KEY_HEADER, m.key());
    if (m.sagaId() != null) {
      headers.put(SAGA_HEADER, m.sagaId());
    }
    return MessageProperties.PERSISTENT_BASIC
        .builder()
        .messageId(m.id())
        .type(m.type())
        .contentType("application/json")
        .contentEncoding("UTF-8")
        .headers(headers)
        .build();
  }

  private Channel publisher() throws BrokerException {
    if (publisher != null && publisher.isOpen()) {
      return publisher;
    }
    try {
      Channel channel = connection().createChannel();
      channel.confirmSelect();
      channel.addReturnListener(
          r -> returned.add(String.valueOf(r.getProperties().getMessageId())));
      publisher = channel;
      return channel;
    } catch (IOException | RuntimeException e) {
      throw new BrokerException("cannot open a RabbitMQ channel: " + e.getMessage(), e);
    }
  }

  private void dropPublisher() {
    Channel channel = publisher;
    publisher = null;
    if (channel != null && channel.isOpen()) {
      try {
        channel.close();
      } catch (IOException | TimeoutException | RuntimeException e) {
        LOG.debug("closing the publisher channel failed", e);
      }
    }
  }

  private synchronized Connection connection() throws BrokerException {
    if (connection == null) {
      try {
        Connection c = factory.newConnection("cohort-messaging");
        try (Channel ch = c.createChannel()) {
          ch.exchangeDeclare(exchange, BuiltinExchangeType.TOPIC, true);
        }
        connection = c;
      } catch (IOException | TimeoutException | RuntimeException e) {
        throw new BrokerException(
            "cannot connect to RabbitMQ at "
                + factory.getHost()
                + ":"
                + factory.getPort()
                + ": "
                + e.getMessage(),
            e);
      }
    }
    return connection;
  }

  @Override
  public Subscription subscribe(String queue, List<String> destinations, MessageHandler handler)
      throws BrokerException {
    Objects.requireNonNull(handler, "handler must not be null");
    if (queue == null || queue.isBlank() || destinations == null || destinations.isEmpty()) {
      throw new IllegalArgumentException(
          "subscribe needs a queue name and at least one destination, e.g. subscribe(\"shipping\","
              + " List.of(\"orders.paid\"), inbox::receive)");
    }
    try {
      Channel channel = connection().createChannel();
      channel.queueDeclare(queue, true, false, false, null);
      for (String destination : destinations) {
        channel.queueBind(queue, exchange, destination);
      }
      channel.basicQos(prefetch);
      String tag = channel.basicConsume(queue, false, new Deliveries(channel, queue, handler));
      return () -> {
        try {
          if (channel.isOpen()) {
            channel.basicCancel(tag);
            channel.close();
          }
        } catch (IOException | TimeoutException | RuntimeException e) {
          LOG.debug("closing the consumer of {} failed", queue, e);
        }
      };
    } catch (IOException | RuntimeException e) {
      throw new BrokerException("cannot consume from queue " + queue + ": " + e.getMessage(), e);
    }
  }

  /** Acknowledges a delivery only after the handler returned. */
  private static final class Deliveries extends DefaultConsumer {
    private final String queue;
    private final MessageHandler handler;

    Deliveries(Channel channel, String queue, MessageHandler handler) {
      super(channel);
      this.queue = queue;
      this.handler = handler;
    }

    @Override
    public void handleDelivery(
        String consumerTag, Envelope envelope, AMQP.BasicProperties props, byte[] body)
        throws IOException {
      long tag = envelope.getDeliveryTag();
      try {
        handler.handle(toMessage(envelope, props, body));
      } catch (Exception e) {
        LOG.warn("consumer of {} failed message {}; it will be redelivered", queue, props, e);
        getChannel().basicNack(tag, false, true);
        return;
      }
      getChannel().basicAck(tag, false);
    }
  }

  /**
   * The message as the outbox wrote it. A delivery from another producer may lack our fields: an id
   * is then derived from the body (so redeliveries still deduplicate), the type is "unknown" and
   * the inbox parks it.
   */
  static Message toMessage(Envelope envelope, AMQP.BasicProperties props, byte[] body) {
    String payload = new String(body, StandardCharsets.UTF_8);
    Map<String, Object> headers = props.getHeaders() == null ? Map.of() : props.getHeaders();
    String id = props.getMessageId();
    if (id == null || id.isBlank() || id.length() > Message.MAX_ID_LENGTH) {
      id = "sha256:" + sha256(envelope.getRoutingKey() + "\n" + payload).substring(0, 64);
    }
    String key = headers.get(KEY_HEADER) == null ? id : headers.get(KEY_HEADER).toString();
    String type =
        props.getType() == null || props.getType().isBlank() ? "unknown" : props.getType();
    Object saga = headers.get(SAGA_HEADER);
    try {
      return new Message(
          id, envelope.getRoutingKey(), key, type, saga == null ? null : saga.toString(), payload);
    } catch (InvalidMessageException e) {
      // A field we cannot store (a routing key with spaces, an oversized header): keep the body
      // under a type no consumer handles, so the inbox parks it instead of it looping forever.
      return new Message(id, INVALID, id, INVALID, null, payload);
    }
  }

  /** Destination and type of a delivery whose own fields could not be kept; the inbox parks it. */
  static final String INVALID = "cohort.invalid";

  private static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  @Override
  public void close() {
    synchronized (publishLock) {
      dropPublisher();
    }
    synchronized (this) {
      if (connection != null) {
        try {
          connection.close();
        } catch (IOException | RuntimeException e) {
          LOG.debug("closing the RabbitMQ connection failed", e);
        }
        connection = null;
      }
    }
  }

  /** Settings of a {@link RabbitBroker}; every one but the URI has a default. */
  public static final class Builder {
    private final URI uri;
    private String exchange = DEFAULT_EXCHANGE;
    private Duration confirmTimeout = DEFAULT_CONFIRM_TIMEOUT;
    private Duration recoveryInterval = DEFAULT_RECOVERY_INTERVAL;
    private int prefetch = DEFAULT_PREFETCH;

    private Builder(URI uri) {
      this.uri = Objects.requireNonNull(uri, "uri must not be null, e.g. amqp://localhost");
    }

    /** The durable topic exchange messages go to, default {@value #DEFAULT_EXCHANGE}. */
    public Builder exchange(String exchange) {
      if (exchange == null || exchange.isBlank()) {
        throw new IllegalArgumentException("exchange must not be blank, e.g. 'cohort.events'");
      }
      this.exchange = exchange;
      return this;
    }

    /** How long a publish waits for the broker's confirms. */
    public Builder confirmTimeout(Duration timeout) {
      if (timeout == null || timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("confirmTimeout is " + timeout + "; it must be > 0");
      }
      this.confirmTimeout = timeout;
      return this;
    }

    /** How often a lost connection tries to come back. */
    public Builder recoveryInterval(Duration interval) {
      if (interval == null || interval.isNegative() || interval.isZero()) {
        throw new IllegalArgumentException("recoveryInterval is " + interval + "; it must be > 0");
      }
      this.recoveryInterval = interval;
      return this;
    }

    /** Unacknowledged deliveries a consumer holds at once. */
    public Builder prefetch(int prefetch) {
      if (prefetch < 1) {
        throw new IllegalArgumentException("prefetch is " + prefetch + "; it must be >= 1");
      }
      this.prefetch = prefetch;
      return this;
    }

    public RabbitBroker build() {
      return new RabbitBroker(this);
    }
  }
}
