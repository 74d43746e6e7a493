package dev.cohort.messaging;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.MessageProperties;
import com.rabbitmq.client.ShutdownSignalException;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Broker} on RabbitMQ: messages go to one durable topic exchange with the destination as
 * routing key, persistent, with publisher confirms and the mandatory flag (a message no queue is
 * bound for comes back and fails the batch instead of vanishing). Consumers read durable queues
 * with manual acknowledgement: a message is acknowledged after the handler returned, and negatively
 * acknowledged (redelivered) when it threw; {@link #subscribeBatches} settles a batch of deliveries
 * with one acknowledgement.
 *
 * <p>Connections recover by themselves after the broker restarts (the client's automatic recovery,
 * consumers included); a publish while it is away fails with {@link BrokerException} and the relay
 * tries again later.
 */
public final class RabbitBroker implements Broker {
  public static final String DEFAULT_EXCHANGE = "cohort.events";
  public static final Duration DEFAULT_CONFIRM_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration DEFAULT_RECOVERY_INTERVAL = Duration.ofSeconds(1);
  public static final int DEFAULT_PREFETCH = 256;
  public static final int DEFAULT_CONSUMER_BATCH_SIZE = 128;

  /** How often an idle consumer worker looks whether it was closed. */
  private static final Duration POLL = Duration.ofMillis(100);

  /** How long closing a subscription waits for the batch in hand. */
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(30);

  static final String KEY_HEADER = "cohort-key";
  static final String SAGA_HEADER = "cohort-saga";

  private static final Logger LOG = LoggerFactory.getLogger(RabbitBroker.class);

  private final ConnectionFactory factory;

  /** The sockets of plain {@code amqp://} connections: a batch's publishes leave in one write. */
  private final HeldWrites heldWrites;

  private final String exchange;
  private final Duration confirmTimeout;
  private final int prefetch;
  private final int consumerBatchSize;
  private final Set<Deliveries> subscriptions = ConcurrentHashMap.newKeySet();
  private final Object publishLock = new Object();
  private Connection connection;
  private Publisher publisher;

  private RabbitBroker(Builder b) {
    this.factory = new ConnectionFactory();
    try {
      factory.setUri(b.uri);
    } catch (Exception e) {
      throw new IllegalArgumentException(
          "'" + b.uri + "' is not an AMQP URI; expected amqp://user:pass@host:5672/vhost", e);
    }
    // TLS (amqps) keeps the client's own SSL sockets, one write per message.
    this.heldWrites = "amqp".equalsIgnoreCase(b.uri.getScheme()) ? new HeldWrites() : null;
    if (heldWrites != null) {
      factory.setSocketFactory(heldWrites);
    }
    factory.setAutomaticRecoveryEnabled(true);
    factory.setTopologyRecoveryEnabled(true);
    factory.setNetworkRecoveryInterval(b.recoveryInterval.toMillis());
    factory.setConnectionTimeout((int) Math.min(Integer.MAX_VALUE, b.confirmTimeout.toMillis()));
    this.exchange = b.exchange;
    this.confirmTimeout = b.confirmTimeout;
    this.prefetch = b.prefetch;
    this.consumerBatchSize =
        b.consumerBatchSize != null
            ? b.consumerBatchSize
            : Math.min(DEFAULT_CONSUMER_BATCH_SIZE, b.prefetch);
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
    try {
      publishAsync(messages).get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof BrokerException b) {
        throw b;
      }
      throw new BrokerException("publishing to RabbitMQ failed: " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      synchronized (publishLock) {
        dropPublisher();
      }
      throw new BrokerException("interrupted while waiting for RabbitMQ's confirms", e);
    }
  }

  /**
   * Publishes on the one publisher channel and returns at once; the future completes when RabbitMQ
   * confirmed every message (and returned none as unroutable), fails at a nack, a return, the
   * channel's loss or the confirm timeout. Several batches may be in flight; on one channel they
   * reach the exchange in call order.
   */
  @Override
  public CompletableFuture<Void> publishAsync(List<Message> messages) {
    if (messages.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    Confirming batch = new Confirming(messages);
    synchronized (publishLock) {
      Publisher p;
      try {
        p = publisher();
      } catch (BrokerException e) {
        return CompletableFuture.failedFuture(e);
      }
      try {
        publishHeld(p, messages, batch);
      } catch (IOException | RuntimeException e) {
        p.failAll("publishing to RabbitMQ failed: " + e.getMessage(), e);
        dropPublisher();
        return batch.done;
      }
    }
    var unused =
        batch
            .done
            .orTimeout(confirmTimeout.toMillis(), TimeUnit.MILLISECONDS)
            .whenComplete((ok, e) -> {
              if (e instanceof TimeoutException) {
                // Confirms that never came: the channel's state is unknown, start a fresh one.
                synchronized (publishLock) {
                  dropPublisher();
                }
              }
            });
    return batch.done.exceptionallyCompose(e ->
        CompletableFuture.failedFuture(
            e instanceof TimeoutException
                ? new BrokerException(
                    "RabbitMQ did not confirm "
                        + messages.size()
                        + " messages within "
                        + confirmTimeout,
                    e)
                : e));
  }

  /** The batch's publishes, sent as one socket write when the connection's writes can be held. */
  private void publishHeld(Publisher p, List<Message> messages, Confirming batch)
      throws IOException {
    if (heldWrites != null) {
      heldWrites.hold();
    }
    try {
      for (Message m : messages) {
        long seq = p.channel.getNextPublishSeqNo();
        p.unconfirmed.put(seq, batch);
        p.byId.put(m.id(), batch);
        p.channel.basicPublish(
            exchange,
            m.destination(),
            true,
            properties(m),
            m.payload().getBytes(StandardCharsets.UTF_8));
      }
    } finally {
      if (heldWrites != null) {
        heldWrites.release();
      }
    }
  }

  /** A batch waiting for its confirms. */
  private static final class Confirming {
    final CompletableFuture<Void> done = new CompletableFuture<>();
    final List<String> ids;
    private int waiting;

    Confirming(List<Message> messages) {
      this.waiting = messages.size();
      this.ids = messages.stream().map(Message::id).toList();
    }

    synchronized void confirmed() {
      if (--waiting == 0) {
        done.complete(null);
      }
    }

    void fail(BrokerException e) {
      done.completeExceptionally(e);
    }
  }

  /**
   * The publisher channel and the batches waiting on it, by publish sequence number (for the
   * confirms) and message id (for the returns, which RabbitMQ sends before the message's confirm).
   */
  private final class Publisher {
    final Channel channel;
    final ConcurrentSkipListMap<Long, Confirming> unconfirmed = new ConcurrentSkipListMap<>();
    final Map<String, Confirming> byId = new ConcurrentHashMap<>();

    Publisher(Channel channel) {
      this.channel = channel;
    }

    void settle(long tag, boolean multiple, boolean ack) {
      Map<Long, Confirming> settled =
          multiple ? unconfirmed.headMap(tag, true) : unconfirmed.subMap(tag, true, tag, true);
      for (var it = settled.entrySet().iterator(); it.hasNext(); ) {
        Confirming batch = it.next().getValue();
        it.remove();
        if (ack) {
          batch.confirmed();
        } else {
          batch.fail(new BrokerException("RabbitMQ refused (nack) a message of the batch"));
        }
        if (batch.done.isDone()) {
          batch.ids.forEach(byId::remove);
        }
      }
    }

    void returned(String messageId) {
      Confirming batch = byId.get(messageId);
      if (batch != null) {
        batch.fail(
            new BrokerException(
                "RabbitMQ returned message "
                    + messageId
                    + " as unroutable: no queue is bound to its destination on exchange '"
                    + exchange
                    + "'; subscribe a consumer first"));
      }
    }

    /** The channel is gone: nothing still waiting will be confirmed on it. */
    void failAll(String reason, Throwable cause) {
      for (Confirming batch : unconfirmed.values()) {
        batch.fail(new BrokerException(reason, cause));
      }
      unconfirmed.clear();
      byId.clear();
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

  /** The publisher channel, opened when missing or lost; call with {@code publishLock} held. */
  private Publisher publisher() throws BrokerException {
    if (publisher != null && publisher.channel.isOpen()) {
      return publisher;
    }
    dropPublisher();
    try {
      Channel channel = connection().createChannel();
      channel.confirmSelect();
      Publisher p = new Publisher(channel);
      channel.addConfirmListener(
          (tag, multiple) -> p.settle(tag, multiple, true),
          (tag, multiple) -> p.settle(tag, multiple, false));
      channel.addReturnListener(r -> p.returned(String.valueOf(r.getProperties().getMessageId())));
      // A lost channel confirms nothing more (a recovered one numbers anew): fail what waits.
      channel.addShutdownListener(
          cause -> p.failAll("the RabbitMQ channel closed: " + cause.getMessage(), cause));
      publisher = p;
      return p;
    } catch (IOException | RuntimeException e) {
      throw new BrokerException("cannot open a RabbitMQ channel: " + e.getMessage(), e);
    }
  }

  /** Closes the publisher channel; what still waits on it fails. Call with {@code publishLock}. */
  private void dropPublisher() {
    Publisher p = publisher;
    publisher = null;
    if (p == null) {
      return;
    }
    p.failAll("the RabbitMQ publisher channel was dropped", null);
    if (p.channel.isOpen()) {
      try {
        p.channel.close();
      } catch (IOException | TimeoutException | RuntimeException e) {
        LOG.debug("closing the publisher channel failed", e);
      }
    }
  }

  private synchronized Connection connection() throws BrokerException {
    if (connection == null) {
      try {
        Connection c = factory.newConnection("cohort-messaging");
        // Declared on a channel that stays open with the connection: after a broker restart the
        // client's topology recovery declares the exchange again on the channel it was declared
        // on, and logged an error when that one had been closed.
        Channel topology = c.createChannel();
        topology.exchangeDeclare(exchange, BuiltinExchangeType.TOPIC, true);
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
    return consume(queue, destinations, BatchHandler.oneByOne(queue, handler), 1);
  }

  /**
   * Hands the consumer up to {@link Builder#consumerBatchSize} deliveries at once (those waiting
   * when it is free, never waiting for more) and settles them with one acknowledgement.
   */
  @Override
  public Subscription subscribeBatches(
      String queue, List<String> destinations, BatchHandler handler) throws BrokerException {
    Objects.requireNonNull(handler, "handler must not be null");
    return consume(queue, destinations, handler, consumerBatchSize);
  }

  private Subscription consume(
      String queue, List<String> destinations, BatchHandler handler, int batchSize)
      throws BrokerException {
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
      Deliveries deliveries = new Deliveries(channel, queue, handler, batchSize);
      deliveries.start(channel.basicConsume(queue, false, deliveries));
      subscriptions.add(deliveries);
      return deliveries;
    } catch (IOException | RuntimeException e) {
      throw new BrokerException("cannot consume from queue " + queue + ": " + e.getMessage(), e);
    }
  }

  /** A delivery waiting for the consumer's worker. */
  private record Delivery(long tag, Message message) {}

  /**
   * One consumer: the client's dispatch thread only queues deliveries; a worker thread of its own
   * hands them to the handler in delivery order, as many as are waiting (up to the batch size), and
   * acknowledges what the handler handled with one {@code basicAck(multiple)} — every earlier
   * delivery of the channel is settled by then — and the rest with one {@code basicNack(multiple,
   * requeue)}. Closing stops the deliveries, lets the batch in hand finish and settle, then closes
   * the channel (whatever was still queued here is requeued by the broker).
   */
  private final class Deliveries extends DefaultConsumer implements Subscription {
    private final String queue;
    private final BatchHandler handler;
    private final int batchSize;
    private final BlockingQueue<Delivery> waiting = new LinkedBlockingQueue<>();
    private volatile boolean closed;
    private Thread worker;
    private String tag;

    Deliveries(Channel channel, String queue, BatchHandler handler, int batchSize) {
      super(channel);
      this.queue = queue;
      this.handler = handler;
      this.batchSize = batchSize;
    }

    void start(String consumerTag) {
      this.tag = consumerTag;
      this.worker = Thread.ofPlatform().daemon().name("cohort-consumer-" + queue).start(this::run);
    }

    @Override
    public void handleDelivery(
        String consumerTag, Envelope envelope, AMQP.BasicProperties props, byte[] body) {
      waiting.add(new Delivery(envelope.getDeliveryTag(), toMessage(envelope, props, body)));
    }

    private void run() {
      List<Delivery> batch = new ArrayList<>(batchSize);
      while (!closed) {
        Delivery first;
        try {
          first = waiting.poll(POLL.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          return; // closing gave up waiting for the handler
        }
        if (first == null) {
          continue;
        }
        batch.clear();
        batch.add(first);
        waiting.drainTo(batch, batchSize - 1);
        settle(batch);
      }
    }

    private void settle(List<Delivery> batch) {
      List<Message> messages = new ArrayList<>(batch.size());
      for (Delivery d : batch) {
        messages.add(d.message());
      }
      int handled;
      try {
        handled = Math.clamp(handler.handle(messages), 0, batch.size());
      } catch (Exception | Error e) {
        // An Error too: the worker must live on, or the queue's deliveries would stall unsettled.
        LOG.warn(
            "consumer of {} failed {} message(s) from {}; they will be redelivered",
            queue,
            batch.size(),
            batch.get(0).message().id(),
            e);
        handled = 0;
      }
      try {
        if (handled > 0) {
          getChannel().basicAck(batch.get(handled - 1).tag(), true);
        }
        if (handled < batch.size()) {
          getChannel().basicNack(batch.get(batch.size() - 1).tag(), true, true);
        }
      } catch (IOException | ShutdownSignalException e) {
        // The channel went away (broker restart, close): the broker redelivers the unacknowledged
        // ones and the inbox skips those it already applied.
        LOG.debug("could not settle {} deliveries of {}: {}", batch.size(), queue, e.toString());
      }
    }

    @Override
    public void close() {
      if (closed) {
        return;
      }
      Channel channel = getChannel();
      try {
        if (channel.isOpen()) {
          channel.basicCancel(tag);
        }
      } catch (IOException | ShutdownSignalException e) {
        LOG.debug("cancelling the consumer of {} failed", queue, e);
      }
      closed = true;
      if (worker != Thread.currentThread()) {
        try {
          worker.join(CLOSE_WAIT);
          if (worker.isAlive()) {
            LOG.warn("the consumer of {} did not finish its batch within {}", queue, CLOSE_WAIT);
            worker.interrupt();
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      try {
        if (channel.isOpen()) {
          channel.close();
        }
      } catch (IOException | TimeoutException | ShutdownSignalException e) {
        LOG.debug("closing the consumer channel of {} failed", queue, e);
      }
      subscriptions.remove(this);
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
    for (Deliveries d : List.copyOf(subscriptions)) {
      d.close();
    }
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
    private Integer consumerBatchSize; // default: DEFAULT_CONSUMER_BATCH_SIZE within the prefetch

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

    /**
     * Most deliveries {@link #subscribeBatches} hands its handler at once, default {@value
     * #DEFAULT_CONSUMER_BATCH_SIZE} or the prefetch if lower; at most the prefetch (half of it
     * keeps deliveries flowing while a batch is applied).
     */
    public Builder consumerBatchSize(int size) {
      if (size < 1) {
        throw new IllegalArgumentException("consumerBatchSize is " + size + "; it must be >= 1");
      }
      this.consumerBatchSize = size;
      return this;
    }

    public RabbitBroker build() {
      if (consumerBatchSize != null && consumerBatchSize > prefetch) {
        throw new IllegalArgumentException(
            "consumerBatchSize "
                + consumerBatchSize
                + " is larger than the prefetch "
                + prefetch
                + ", so a batch could never fill; make it at most the prefetch (half keeps"
                + " deliveries flowing)");
      }
      return new RabbitBroker(this);
    }
  }
}
