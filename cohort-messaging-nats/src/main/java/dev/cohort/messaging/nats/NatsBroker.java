package dev.cohort.messaging.nats;

import dev.cohort.messaging.Broker;
import dev.cohort.messaging.BrokerException;
import dev.cohort.messaging.InvalidMessageException;
import dev.cohort.messaging.Message;
import dev.cohort.messaging.MessageTooLargeException;
import dev.cohort.messaging.nats.internal.ConnectionEvents;
import dev.cohort.messaging.nats.internal.Deliveries;
import dev.cohort.messaging.nats.internal.NatsMessages;
import dev.cohort.messaging.nats.internal.Subjects;
import io.nats.client.Connection;
import io.nats.client.ConsumeOptions;
import io.nats.client.ConsumerContext;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.PublishOptions;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.api.PublishAck;
import io.nats.client.api.RetentionPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.impl.Headers;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Broker} on NATS JetStream. A message to destination {@code d} is published on subject
 * {@code <subjectPrefix>.d} (default {@code cohort.d}) into one file-backed stream (default {@value
 * #DEFAULT_STREAM}, subjects {@code <subjectPrefix>.>}, created when missing), with its id in the
 * {@code Nats-Msg-Id} header: a re-publish within the stream's duplicate window is dropped by the
 * server, and after it the inbox skips it. A publish has succeeded only when JetStream acknowledged
 * every message, i.e. stored it.
 *
 * <p>A consumer is a durable pull consumer named after the queue, filtered to the subscribed
 * destinations (which may use the NATS wildcards {@code *} and a final {@code >}), with explicit
 * acknowledgement: a message is acknowledged after the handler returned and negatively acknowledged
 * (delivered again at once) when it threw. A delivery never settled (the process died, the
 * connection dropped) is delivered again after {@link Builder#ackWait}.
 *
 * <p>The connection reconnects by itself after the server restarts, consumers included; a publish
 * while it is away fails with {@link BrokerException} after {@link Builder#ackTimeout} and the
 * relay tries again later.
 */
public final class NatsBroker implements Broker {
  public static final String DEFAULT_STREAM = "COHORT";
  public static final String DEFAULT_SUBJECT_PREFIX = "cohort";
  public static final Duration DEFAULT_ACK_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration DEFAULT_RECONNECT_WAIT = Duration.ofSeconds(1);
  public static final Duration DEFAULT_ACK_WAIT = Duration.ofSeconds(30);
  public static final Duration DEFAULT_DUPLICATE_WINDOW = Duration.ofMinutes(2);
  public static final Duration DEFAULT_MAX_AGE = Duration.ofDays(7);
  public static final int DEFAULT_PREFETCH = 256;
  public static final int DEFAULT_CONSUMER_BATCH_SIZE = 128;

  /**
   * Room kept for the headers by {@link #maxPayloadBytes()}: the longest id, key, type and saga id
   * a message may have, every byte escaped, with the header names.
   */
  static final int HEADER_RESERVE = 8 * 1024;

  /** JetStream's "stream not found". */
  private static final int STREAM_NOT_FOUND = 10059;

  /** Stream and consumer names: no dots, wildcards, slashes or whitespace. */
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,255}");

  private static final Logger LOG = LoggerFactory.getLogger(NatsBroker.class);

  private final Options options;
  private final String url;
  private final String stream;
  private final Subjects subjects;
  private final Duration ackTimeout;
  private final Duration ackWait;
  private final Duration duplicateWindow;
  private final Duration maxAge;
  private final int prefetch;
  private final int consumerBatchSize;
  private final Set<Deliveries> subscriptions = ConcurrentHashMap.newKeySet();
  private final Object publishLock = new Object();
  private Connection connection;
  private JetStream jetStream;

  private NatsBroker(Builder b) {
    Options.Builder o =
        new Options.Builder()
            .server(b.url.toString())
            .connectionName("cohort-messaging")
            .connectionTimeout(b.ackTimeout)
            .reconnectWait(b.reconnectWait)
            .maxReconnects(-1);
    ConnectionEvents events = new ConnectionEvents(url(b.url), this::renewSubscriptions);
    o.connectionListener(events).errorListener(events);
    if (b.credentialsFile != null) {
      o.authHandler(Nats.credentials(b.credentialsFile.toString()));
    }
    this.options = o.build();
    this.url = url(b.url);
    this.stream = b.stream;
    this.subjects = new Subjects(b.subjectPrefix);
    this.ackTimeout = b.ackTimeout;
    this.ackWait = b.ackWait;
    this.duplicateWindow = b.duplicateWindow;
    this.maxAge = b.maxAge;
    this.prefetch = b.prefetch;
    this.consumerBatchSize =
        b.consumerBatchSize != null
            ? b.consumerBatchSize
            : Math.min(DEFAULT_CONSUMER_BATCH_SIZE, b.prefetch);
  }

  private static String url(URI url) {
    return url.getHost() + ":" + (url.getPort() < 0 ? 4222 : url.getPort());
  }

  private void renewSubscriptions() {
    for (Deliveries d : List.copyOf(subscriptions)) {
      d.renew();
    }
  }

  /** Settings for a broker on {@code url}, e.g. {@code nats://user:password@host:4222}. */
  public static Builder builder(URI url) {
    return new Builder(url);
  }

  /** A broker with every default, on {@code url} (e.g. {@code nats://localhost:4222}). */
  public static NatsBroker connect(URI url) {
    return builder(url).build();
  }

  public String stream() {
    return stream;
  }

  /** The subject messages to {@code destination} are published on. */
  public String subject(String destination) {
    String subject = subjects.of(destination);
    if (subject == null) {
      throw new InvalidMessageException(noSubject(destination));
    }
    return subject;
  }

  /**
   * The largest payload this broker publishes, in UTF-8 bytes: the server's {@code max_payload}
   * less room for the headers. An outbox whose {@code maxPayloadBytes} is at most this refuses,
   * when it is written, every message this broker would refuse.
   */
  public int maxPayloadBytes() throws BrokerException {
    return (int)
        Math.max(0, Math.min(Integer.MAX_VALUE, connection().getMaxPayload() - HEADER_RESERVE));
  }

  @Override
  public void publish(List<Message> messages) throws BrokerException {
    try {
      publishAsync(messages).get();
    } catch (ExecutionException e) {
      throw brokerException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BrokerException("interrupted while waiting for JetStream's acknowledgements", e);
    }
  }

  /**
   * Checks every message, then publishes them in list order and returns at once; the future
   * completes when JetStream acknowledged every one, and fails when it refused one or did not
   * answer within {@link Builder#ackTimeout}. Calls one after the other reach the server in call
   * order (one connection, published under one lock).
   *
   * <p>A message the server could not take (larger than its {@code max_payload}, a destination that
   * is no subject) fails the whole batch before any of it is published, with a {@link
   * BrokerException} caused by a {@link MessageTooLargeException} or {@link
   * InvalidMessageException}.
   */
  @Override
  public CompletableFuture<Void> publishAsync(List<Message> messages) {
    if (messages.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    List<CompletableFuture<PublishAck>> acks = new ArrayList<>(messages.size());
    try {
      Connection c = connection();
      long limit = c.getMaxPayload();
      List<Outgoing> outgoing = new ArrayList<>(messages.size());
      for (Message m : messages) {
        outgoing.add(outgoing(m, limit));
      }
      synchronized (publishLock) {
        for (Outgoing o : outgoing) {
          acks.add(jetStream.publishAsync(o.subject(), o.headers(), o.body(), o.options()));
        }
      }
    } catch (BrokerException e) {
      return CompletableFuture.failedFuture(e);
    } catch (RuntimeException e) {
      // Published until then: JetStream drops those again within its duplicate window.
      return CompletableFuture.failedFuture(
          new BrokerException("publishing to NATS at " + url + " failed: " + e.getMessage(), e));
    }
    return CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new))
        .orTimeout(ackTimeout.toMillis(), TimeUnit.MILLISECONDS)
        .exceptionallyCompose(e -> CompletableFuture.failedFuture(brokerException(e, messages)));
  }

  /** A message checked and ready to go out. */
  private static final class Outgoing {
    private final String subject;
    private final Headers headers;
    private final byte[] body;
    private final PublishOptions options;

    Outgoing(String subject, Headers headers, byte[] body, PublishOptions options) {
      this.subject = subject;
      this.headers = headers;
      this.body = body;
      this.options = options;
    }

    String subject() {
      return subject;
    }

    Headers headers() {
      return headers;
    }

    byte[] body() {
      return body;
    }

    PublishOptions options() {
      return options;
    }
  }

  private Outgoing outgoing(Message m, long limit) throws BrokerException {
    String subject = subjects.of(m.destination());
    if (subject == null) {
      throw new BrokerException(
          "nothing was published: " + noSubject(m.destination()),
          new InvalidMessageException(noSubject(m.destination())));
    }
    Headers headers = NatsMessages.headers(m);
    byte[] body = m.payload().getBytes(StandardCharsets.UTF_8);
    long size = (long) body.length + headers.serializedLength();
    if (size > limit) {
      MessageTooLargeException tooLarge =
          new MessageTooLargeException(
              m.id(),
              (int) Math.min(Integer.MAX_VALUE, size),
              (int) Math.min(Integer.MAX_VALUE, limit),
              "the NATS server's max_payload (payload and headers)");
      throw new BrokerException("nothing was published: " + tooLarge.getMessage(), tooLarge);
    }
    // The id travels in the Nats-Msg-Id header set above (counted in the size), which is what
    // JetStream deduplicates on; the options only make sure the right stream stored it.
    PublishOptions options = PublishOptions.builder().expectedStream(stream).build();
    return new Outgoing(subject, headers, body, options);
  }

  private static String noSubject(String destination) {
    return "destination '"
        + destination
        + "' is no NATS subject: its dot-separated tokens must not be empty (no leading,"
        + " trailing or double dot)";
  }

  private BrokerException brokerException(Throwable e, List<Message> messages) {
    Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    if (cause instanceof TimeoutException) {
      return new BrokerException(
          "JetStream did not acknowledge "
              + messages.size()
              + " messages within "
              + ackTimeout
              + " (NATS at "
              + url
              + " unreachable or slow)",
          cause);
    }
    return brokerException(cause);
  }

  private BrokerException brokerException(Throwable cause) {
    if (cause instanceof BrokerException b) {
      return b;
    }
    if (cause instanceof JetStreamApiException api) {
      return new BrokerException(
          "JetStream refused a message: " + api.getMessage() + " (stream " + stream + ")", api);
    }
    if (cause instanceof CompletionException && cause.getCause() != null) {
      return brokerException(cause.getCause());
    }
    String text = String.valueOf(cause.getMessage());
    if (text.contains("503") || text.toLowerCase(java.util.Locale.ROOT).contains("no responders")) {
      return new BrokerException(
          "no JetStream stream takes these subjects (no responders): is stream "
              + stream
              + " there with subjects "
              + subjects.all()
              + "?",
          cause);
    }
    return new BrokerException("publishing to NATS at " + url + " failed: " + cause, cause);
  }

  /** The connection, opened when missing, with the stream created if it is not there. */
  private synchronized Connection connection() throws BrokerException {
    if (connection != null) {
      return connection;
    }
    Connection c;
    try {
      c = Nats.connect(options);
    } catch (IOException | RuntimeException e) {
      throw new BrokerException("cannot connect to NATS at " + url + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BrokerException("interrupted while connecting to NATS at " + url, e);
    }
    try {
      ensureStream(c.jetStreamManagement());
      jetStream = c.jetStream();
    } catch (IOException | JetStreamApiException | RuntimeException e) {
      closeQuietly(c);
      throw new BrokerException(
          "cannot set up JetStream stream "
              + stream
              + " on NATS at "
              + url
              + " (is JetStream enabled, nats-server -js?): "
              + e.getMessage(),
          e);
    }
    connection = c;
    return c;
  }

  private void ensureStream(JetStreamManagement jsm) throws IOException, JetStreamApiException {
    try {
      jsm.getStreamInfo(stream);
      return;
    } catch (JetStreamApiException e) {
      if (e.getApiErrorCode() != STREAM_NOT_FOUND) {
        throw e;
      }
    }
    try {
      jsm.addStream(
          StreamConfiguration.builder()
              .name(stream)
              .subjects(subjects.all())
              .storageType(StorageType.File)
              .retentionPolicy(RetentionPolicy.Limits)
              .maxAge(maxAge)
              .duplicateWindow(duplicateWindow)
              .build());
      LOG.info("created JetStream stream {} for subjects {}", stream, subjects.all());
    } catch (JetStreamApiException e) {
      // Another process created it meanwhile: fine if it is there now.
      jsm.getStreamInfo(stream);
    }
  }

  @Override
  public Subscription subscribe(String queue, List<String> destinations, MessageHandler handler)
      throws BrokerException {
    Objects.requireNonNull(handler, "handler must not be null");
    return consume(queue, destinations, BatchHandler.oneByOne(queue, handler), 1);
  }

  /**
   * Hands the consumer up to {@link Builder#consumerBatchSize} deliveries at once (those waiting
   * when it is free, never waiting for more), acknowledges those it handled and negatively
   * acknowledges the rest.
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
    if (queue == null || !NAME.matcher(queue).matches()) {
      throw new IllegalArgumentException(
          "queue '"
              + queue
              + "' must be 1-255 letters, digits, _ or - (it names a durable JetStream consumer,"
              + " which allows no dots), e.g. subscribe(\"shipping\", List.of(\"orders.placed\"),"
              + " inbox::receive)");
    }
    if (destinations == null || destinations.isEmpty()) {
      throw new IllegalArgumentException(
          "subscribe needs at least one destination, e.g. subscribe(\"shipping\","
              + " List.of(\"orders.placed\"), inbox::receive)");
    }
    List<String> filters = destinations.stream().map(subjects::filter).distinct().toList();
    Connection c = connection();
    if (filters.size() > 1 && c.getServerInfo().isOlderThanVersion("2.10.0")) {
      throw new BrokerException(
          "a consumer of several destinations needs NATS server 2.10 or later (filter_subjects);"
              + " this one is "
              + c.getServerInfo().getVersion()
              + ": subscribe once per destination, each with its own queue name, or use a"
              + " wildcard destination such as 'orders.*'");
    }
    ConsumerConfiguration.Builder config =
        ConsumerConfiguration.builder()
            .durable(queue)
            .ackPolicy(AckPolicy.Explicit)
            .ackWait(ackWait)
            .maxAckPending(prefetch)
            .deliverPolicy(DeliverPolicy.All);
    if (filters.size() == 1) {
      config.filterSubject(filters.get(0));
    } else {
      config.filterSubjects(filters);
    }
    Deliveries deliveries =
        new Deliveries(queue, handler, batchSize, subjects, stream, subscriptions::remove);
    try {
      ConsumerContext consumer = c.getStreamContext(stream).createOrUpdateConsumer(config.build());
      ConsumeOptions pulls = ConsumeOptions.builder().batchSize(prefetch).build();
      deliveries.start(h -> consumer.consume(pulls, h));
    } catch (IOException | JetStreamApiException | RuntimeException e) {
      throw new BrokerException(
          "cannot consume "
              + filters
              + " as "
              + queue
              + " from stream "
              + stream
              + ": "
              + e.getMessage(),
          e);
    }
    subscriptions.add(deliveries);
    return deliveries;
  }

  private static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.debug("closing the NATS connection failed", e);
    }
  }

  @Override
  public void close() {
    for (Deliveries d : List.copyOf(subscriptions)) {
      d.close();
    }
    synchronized (this) {
      if (connection != null) {
        closeQuietly(connection);
        connection = null;
        jetStream = null;
      }
    }
  }

  /** Settings of a {@link NatsBroker}; every one but the URL has a default. */
  public static final class Builder {
    private final URI url;
    private Path credentialsFile;
    private String stream = DEFAULT_STREAM;
    private String subjectPrefix = DEFAULT_SUBJECT_PREFIX;
    private Duration ackTimeout = DEFAULT_ACK_TIMEOUT;
    private Duration reconnectWait = DEFAULT_RECONNECT_WAIT;
    private Duration ackWait = DEFAULT_ACK_WAIT;
    private Duration duplicateWindow = DEFAULT_DUPLICATE_WINDOW;
    private Duration maxAge = DEFAULT_MAX_AGE;
    private int prefetch = DEFAULT_PREFETCH;
    private Integer consumerBatchSize; // default: DEFAULT_CONSUMER_BATCH_SIZE within the prefetch

    private Builder(URI url) {
      Objects.requireNonNull(url, "url must not be null, e.g. nats://localhost:4222");
      if (!Set.of("nats", "tls").contains(String.valueOf(url.getScheme()))
          || url.getHost() == null) {
        throw new IllegalArgumentException(
            "'"
                + url
                + "' is not a NATS URL; expected nats://[user:password@]host[:4222] (or tls://)");
      }
      this.url = url;
    }

    /** A credentials file (JWT and NKey seed) for servers with decentralized auth. */
    public Builder credentialsFile(Path file) {
      if (file == null || !Files.isReadable(file)) {
        throw new IllegalArgumentException(
            "credentials file " + file + " is not a readable file (a .creds with JWT and seed)");
      }
      this.credentialsFile = file;
      return this;
    }

    /** The JetStream stream, default {@value #DEFAULT_STREAM}; created when missing. */
    public Builder stream(String stream) {
      if (stream == null || !NAME.matcher(stream).matches()) {
        throw new IllegalArgumentException(
            "stream '" + stream + "' must be 1-255 letters, digits, _ or -, e.g. 'COHORT'");
      }
      this.stream = stream;
      return this;
    }

    /**
     * The first subject tokens of every message, default {@value #DEFAULT_SUBJECT_PREFIX}: a
     * message to destination {@code d} goes to {@code <prefix>.d}; a stream created here takes
     * {@code <prefix>.>}.
     */
    public Builder subjectPrefix(String prefix) {
      new Subjects(prefix); // checks it
      this.subjectPrefix = prefix;
      return this;
    }

    /** How long a publish waits for JetStream's acknowledgements; also the connect timeout. */
    public Builder ackTimeout(Duration timeout) {
      this.ackTimeout = positive("ackTimeout", timeout);
      return this;
    }

    /** How long a lost connection waits between attempts to come back. */
    public Builder reconnectWait(Duration wait) {
      this.reconnectWait = positive("reconnectWait", wait);
      return this;
    }

    /**
     * How long JetStream waits for a delivery's acknowledgement before delivering it again (a
     * consumer that died, a dropped connection). The clock runs from the delivery, while it waits
     * in the consumer's queue too: make it longer than {@code prefetch} deliveries take to apply,
     * or live consumers get (and the inbox skips) copies of what they still hold.
     */
    public Builder ackWait(Duration wait) {
      this.ackWait = positive("ackWait", wait);
      return this;
    }

    /** The stream's duplicate window, when this broker creates it: ids remembered this long. */
    public Builder duplicateWindow(Duration window) {
      this.duplicateWindow = positive("duplicateWindow", window);
      return this;
    }

    /** How long the stream keeps a message, when this broker creates it; default 7 days. */
    public Builder maxAge(Duration age) {
      this.maxAge = positive("maxAge", age);
      return this;
    }

    /** Unacknowledged deliveries a consumer holds at once (the consumer's max ack pending). */
    public Builder prefetch(int prefetch) {
      if (prefetch < 1) {
        throw new IllegalArgumentException("prefetch is " + prefetch + "; it must be >= 1");
      }
      this.prefetch = prefetch;
      return this;
    }

    /**
     * Most deliveries {@link #subscribeBatches} hands its handler at once, default {@value
     * #DEFAULT_CONSUMER_BATCH_SIZE} or the prefetch if lower; at most the prefetch.
     */
    public Builder consumerBatchSize(int size) {
      if (size < 1) {
        throw new IllegalArgumentException("consumerBatchSize is " + size + "; it must be >= 1");
      }
      this.consumerBatchSize = size;
      return this;
    }

    public NatsBroker build() {
      if (consumerBatchSize != null && consumerBatchSize > prefetch) {
        throw new IllegalArgumentException(
            "consumerBatchSize "
                + consumerBatchSize
                + " is larger than the prefetch "
                + prefetch
                + ", so a batch could never fill; make it at most the prefetch");
      }
      if (duplicateWindow.compareTo(maxAge) > 0) {
        throw new IllegalArgumentException(
            "duplicateWindow " + duplicateWindow + " is longer than maxAge " + maxAge);
      }
      return new NatsBroker(this);
    }

    private static Duration positive(String name, Duration d) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " is " + d + "; it must be > 0");
      }
      return d;
    }
  }
}
