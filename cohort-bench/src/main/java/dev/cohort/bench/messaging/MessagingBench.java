package dev.cohort.bench.messaging;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.MessageProperties;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.cohort.bench.ClosedLoop;
import dev.cohort.messaging.Broker;
import dev.cohort.messaging.BrokerException;
import dev.cohort.messaging.Inbox;
import dev.cohort.messaging.Message;
import dev.cohort.messaging.MessagingTables;
import dev.cohort.messaging.Outbox;
import dev.cohort.messaging.RabbitBroker;
import dev.cohort.messaging.Relay;
import java.io.Reader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Outbox → RabbitMQ → inbox against plain publish-with-confirms → consume of the same messages, in
 * the same run. Outbox producers write a business row and the message in their own PostgreSQL
 * transaction; the relay publishes; an inbox records each message id in PostgreSQL. Plain producers
 * publish each message on their own channel and wait for its confirm; the consumer only
 * acknowledges. Prints throughput and end-to-end latency (write → consumed) p50/p99 per producer
 * count, and outbox/plain.
 *
 * <p>Arguments (optional): {@code producers=1,16,64 messages=3000
 * services=target/services.properties consumer=batch} ({@code consumer=single}: the inbox applies
 * one message per transaction, {@link Inbox#receive}, instead of one batch, {@link
 * Inbox#receiveAll}). Needs {@code scripts/services up} (PostgreSQL, RabbitMQ). {@code broker=nats}
 * runs both sides on NATS JetStream instead ({@link NatsTarget}).
 */
public final class MessagingBench {
  private MessagingBench() {}

  /** The broker both sides run on ({@code broker=rabbitmq}, the default, or {@code nats}). */
  interface Target {
    /** A broker for the outbox side. */
    Broker broker();

    /** The plain side: publish with the broker's acknowledgement, consume, same messages. */
    Result plain(int producers, int messages) throws Exception;
  }

  /** How the outbox side runs: the consumer, the relay's settings, whether to profile. */
  record Options(boolean batches, int relayBatch, int relayInFlight, boolean profiling) {}

  /**
   * Where a message's time goes: written → published (the relay's publish call started) → confirmed
   * → handed to the consumer, and the sizes of the relay's and the consumer's batches.
   */
  static final class Profile {
    final Histogram toPublish = new ConcurrentHistogram(3);
    final Histogram confirm = new ConcurrentHistogram(3);
    final Histogram toConsumer = new ConcurrentHistogram(3);
    final Histogram consume = new ConcurrentHistogram(3);
    final Histogram publishBatch = new ConcurrentHistogram(3);
    final Histogram consumeBatch = new ConcurrentHistogram(3);

    Broker broker(Broker delegate) {
      return new Broker() {
        @Override
        public void publish(List<Message> messages) throws BrokerException {
          long now = System.nanoTime();
          for (Message m : messages) {
            toPublish.recordValue(Math.max(0, now - Long.parseLong(m.payload())));
          }
          publishBatch.recordValue(messages.size());
          delegate.publish(messages);
          confirm.recordValue(System.nanoTime() - now);
        }

        @Override
        public CompletableFuture<Void> publishAsync(List<Message> messages) {
          long now = System.nanoTime();
          for (Message m : messages) {
            toPublish.recordValue(Math.max(0, now - Long.parseLong(m.payload())));
          }
          publishBatch.recordValue(messages.size());
          return delegate
              .publishAsync(messages)
              .whenComplete((ok, e) -> confirm.recordValue(System.nanoTime() - now));
        }

        @Override
        public Subscription subscribe(String q, List<String> d, MessageHandler h)
            throws BrokerException {
          return delegate.subscribe(q, d, h);
        }

        @Override
        public void close() {}
      };
    }

    Broker.BatchHandler consumer(Broker.BatchHandler delegate) {
      return messages -> {
        long now = System.nanoTime();
        for (Message m : messages) {
          toConsumer.recordValue(Math.max(0, now - Long.parseLong(m.payload())));
        }
        consumeBatch.recordValue(messages.size());
        int n = delegate.handle(messages);
        consume.recordValue(System.nanoTime() - now);
        return n;
      };
    }

    private static String ms(Histogram h) {
      return String.format(
          Locale.ROOT,
          "p50 %.1f / p99 %.1f ms",
          h.getValueAtPercentile(50) / 1e6,
          h.getValueAtPercentile(99) / 1e6);
    }

    private static String size(Histogram h) {
      return String.format(
          Locale.ROOT,
          "%d batches, mean %.1f, max %d",
          h.getTotalCount(),
          h.getMean(),
          h.getMaxValue());
    }

    @Override
    public String toString() {
      return "written→publish "
          + ms(toPublish)
          + "; publish+confirm "
          + ms(confirm)
          + " ("
          + size(publishBatch)
          + "); written→consumer "
          + ms(toConsumer)
          + "; consume "
          + ms(consume)
          + " ("
          + size(consumeBatch)
          + ")";
    }
  }

  /**
   * @param writtenPerSecond how fast the producers alone got their messages written (committed or
   *     confirmed): the ceiling of {@code perSecond}
   */
  record Result(double perSecond, double writtenPerSecond, Histogram latency) {
    String describe() {
      return String.format(
          Locale.ROOT,
          "%8.0f msg/s  p50 %6.2f ms  p99 %6.2f ms  (written %5.0f msg/s)",
          perSecond,
          latency.getValueAtPercentile(50) / 1e6,
          latency.getValueAtPercentile(99) / 1e6,
          writtenPerSecond);
    }
  }

  public static void main(String[] args) throws Exception {
    Properties a = ClosedLoop.arguments(args);
    Properties services = new Properties();
    Path file = Path.of(a.getProperty("services", "target/services.properties"));
    if (Files.exists(file)) {
      try (Reader r = Files.newBufferedReader(file)) {
        services.load(r);
      }
    }
    int messages = Integer.parseInt(a.getProperty("messages", "3000"));
    boolean batches = !"single".equals(a.getProperty("consumer", "batch"));
    int relayBatch =
        Integer.parseInt(a.getProperty("relayBatch", Integer.toString(Relay.DEFAULT_BATCH_SIZE)));
    int relayInFlight = Integer.parseInt(a.getProperty("relayInFlight", "0"));
    boolean profiling = "true".equals(a.getProperty("profile", "false"));
    boolean alone = "true".equals(a.getProperty("alone", "false"));
    boolean pgStats = "true".equals(a.getProperty("pgstats", "false"));
    Target target =
        "nats".equals(a.getProperty("broker", "rabbitmq"))
            ? new NatsTarget(URI.create(setting(services, "COHORT_NATS_URL")))
            : rabbit(URI.create(setting(services, "COHORT_AMQP_URL")));
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(setting(services, "COHORT_PG_PRIMARY_URL"));
    config.setUsername(setting(services, "COHORT_PG_USER"));
    config.setPassword(services.getProperty("COHORT_PG_PASSWORD", ""));
    config.setMaximumPoolSize(72);
    // Created below if missing; PostgreSQL resolves the search path per statement.
    config.setConnectionInitSql("SET search_path TO messaging_bench");
    try (HikariDataSource ds = new HikariDataSource(config)) {
      try (Connection c = ds.getConnection();
          Statement s = c.createStatement()) {
        s.execute("DROP SCHEMA IF EXISTS messaging_bench CASCADE");
        s.execute("CREATE SCHEMA messaging_bench");
        s.execute("CREATE TABLE messaging_bench.orders (id VARCHAR(64) PRIMARY KEY)");
      }
      Options options = new Options(batches, relayBatch, relayInFlight, profiling);
      RoundTrips roundTrips = new RoundTrips();
      MessagingTables tables = MessagingTables.of(roundTrips.wrap(ds), "bench_").migrate();
      int warmup = Integer.parseInt(a.getProperty("warmup", "0"));
      if (warmup > 0) {
        // JIT, statement caches, the first pages of fresh tables: not what the runs compare.
        var unusedPlain = target.plain(16, warmup);
        var unusedOutbox = outbox(ds, tables, target, 16, warmup, options);
      }
      for (String p : a.getProperty("producers", "1,16,64").split(",", -1)) {
        int producers = Integer.parseInt(p.trim());
        Result plain = target.plain(producers, messages);
        if (alone) {
          double business = writeAlone(ds, null, producers, messages);
          double rate = writeAlone(ds, tables, producers, messages);
          System.out.printf(
              Locale.ROOT,
              "producers=%-3d outbox writes alone %8.0f msg/s (no relay, no consumer); the business"
                  + " row alone, no message: %8.0f tx/s%n",
              producers,
              rate,
              business);
        }
        if (pgStats) {
          Thread.sleep(11_000); // an idle backend reports its counts within 10 s (PostgreSQL 15)
        }
        long[] before = pgStats ? commits(ds) : null;
        long[] trips = roundTrips.snapshot();
        Result outbox = outbox(ds, tables, target, producers, messages, options);
        System.out.println(
            "producers="
                + producers
                + " "
                + roundTrips.perMessage(trips[0], trips[1], trips[2], messages));
        if (pgStats) {
          Thread.sleep(11_000);
          long[] after = commits(ds);
          System.out.printf(
              Locale.ROOT,
              "producers=%-3d outbox PostgreSQL per message: %.2f commits, %.2f rows changed%n",
              producers,
              (after[0] - before[0]) / (double) messages,
              (after[1] - before[1]) / (double) messages);
        }
        System.out.printf(
            Locale.ROOT,
            "producers=%-3d plain  %s%nproducers=%-3d outbox %s  (outbox/plain throughput %.2f)%n",
            producers,
            plain.describe(),
            producers,
            outbox.describe(),
            outbox.perSecond() / plain.perSecond());
      }
    }
  }

  private static Result outbox(
      HikariDataSource ds,
      MessagingTables tables,
      Target target,
      int producers,
      int messages,
      Options options)
      throws Exception {
    String run = "o" + producers + "-" + System.nanoTime();
    Histogram latency = new ConcurrentHistogram(3);
    CountDownLatch received = new CountDownLatch(messages);
    Outbox outbox = Outbox.builder(tables).build();
    // Written → consumed is measured when the inbox committed the message (its status change).
    Map<String, Long> written = new ConcurrentHashMap<>();
    Inbox inbox =
        Inbox.builder(tables, run)
            .handler("bench", (c, m) -> written.put(m.id(), Long.parseLong(m.payload())))
            .onStatusChange(change -> {
              Long at = written.remove(change.messageId());
              if (at != null) {
                latency.recordValue(System.nanoTime() - at);
                received.countDown();
              }
            })
            .build();
    try (Broker broker = target.broker()) {
      Profile profile = new Profile();
      var subscription =
          options.batches()
              ? broker.subscribeBatches(
                  run,
                  List.of(run),
                  options.profiling() ? profile.consumer(inbox::receiveAll) : inbox::receiveAll)
              : broker.subscribe(run, List.of(run), inbox::receive);
      Relay.Builder relayBuilder =
          Relay.builder(outbox, options.profiling() ? profile.broker(broker) : broker)
              .pollInterval(Duration.ofMillis(2))
              .batchSize(options.relayBatch());
      if (options.relayInFlight() > 0) {
        relayBuilder.maxInFlight(options.relayInFlight());
      }
      try (Relay relay = relayBuilder.build().start()) {
        long start = System.nanoTime();
        write(ds, outbox, run, producers, messages);
        double writing = (System.nanoTime() - start) / 1e9;
        if (!received.await(120, TimeUnit.SECONDS)) {
          throw new IllegalStateException("outbox run lost messages: " + received.getCount());
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        subscription.close();
        if (options.profiling()) {
          System.out.println("producers=" + producers + " profile: " + profile);
        }
        if (relay.stats().deadLettered() > 0) {
          throw new IllegalStateException("the relay dead-lettered " + relay.stats());
        }
        return new Result(messages / seconds, messages / writing, latency);
      }
    }
  }

  private static Target rabbit(URI amqp) {
    return new Target() {
      @Override
      public Broker broker() {
        return RabbitBroker.builder(amqp).exchange("cohort.bench").build();
      }

      @Override
      public Result plain(int producers, int messages) throws Exception {
        return MessagingBench.plain(amqp, producers, messages);
      }
    };
  }

  private static Result plain(URI amqp, int producers, int messages) throws Exception {
    String queue = "p" + producers + "-" + System.nanoTime();
    Histogram latency = new ConcurrentHistogram(3);
    CountDownLatch received = new CountDownLatch(messages);
    ConnectionFactory f = new ConnectionFactory();
    f.setUri(amqp);
    try (com.rabbitmq.client.Connection conn = f.newConnection()) {
      Channel consumer = conn.createChannel();
      consumer.exchangeDeclare("cohort.bench", BuiltinExchangeType.TOPIC, true);
      consumer.queueDeclare(queue, true, false, true, null);
      consumer.queueBind(queue, "cohort.bench", queue);
      consumer.basicQos(64);
      consumer.basicConsume(
          queue,
          false,
          new DefaultConsumer(consumer) {
            @Override
            public void handleDelivery(
                String tag, Envelope envelope, AMQP.BasicProperties props, byte[] body)
                throws java.io.IOException {
              latency.recordValue(
                  System.nanoTime() - Long.parseLong(new String(body, StandardCharsets.UTF_8)));
              getChannel().basicAck(envelope.getDeliveryTag(), false);
              received.countDown();
            }
          });
      AtomicInteger next = new AtomicInteger();
      long start = System.nanoTime();
      List<Thread> threads = new ArrayList<>();
      for (int t = 0; t < producers; t++) {
        threads.add(
            Thread.ofPlatform()
                .start(() -> {
                  try (Channel ch = conn.createChannel()) {
                    ch.confirmSelect();
                    for (int i; (i = next.getAndIncrement()) < messages; ) {
                      ch.basicPublish(
                          "cohort.bench",
                          queue,
                          MessageProperties.PERSISTENT_BASIC,
                          Long.toString(System.nanoTime()).getBytes(StandardCharsets.UTF_8));
                      ch.waitForConfirmsOrDie(10_000);
                    }
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                }));
      }
      for (Thread t : threads) {
        t.join();
      }
      double writing = (System.nanoTime() - start) / 1e9;
      if (!received.await(120, TimeUnit.SECONDS)) {
        throw new IllegalStateException("plain run lost messages: " + received.getCount());
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      consumer.queueDelete(queue);
      return new Result(messages / seconds, messages / writing, latency);
    }
  }

  /**
   * What the outbox producers alone commit per second (business row and message, no relay, no
   * consumer): the ceiling of the outbox throughput on this machine.
   */
  private static double writeAlone(
      HikariDataSource ds, MessagingTables tables, int producers, int messages) throws Exception {
    String run = "w" + producers + "-" + System.nanoTime();
    Outbox outbox = tables == null ? null : Outbox.builder(tables).build();
    long start = System.nanoTime();
    write(ds, outbox, run, producers, messages);
    double seconds = (System.nanoTime() - start) / 1e9;
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement()) {
      var unused = s.executeUpdate("DELETE FROM bench_outbox WHERE destination = '" + run + "'");
    }
    return messages / seconds;
  }

  /** Each producer writes a business row and its message in one transaction, until none left. */
  private static void write(
      HikariDataSource ds, Outbox outbox, String run, int producers, int messages)
      throws InterruptedException {
    AtomicInteger next = new AtomicInteger();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < producers; t++) {
      threads.add(
          Thread.ofPlatform()
              .start(() -> {
                for (int i; (i = next.getAndIncrement()) < messages; ) {
                  try (Connection c = ds.getConnection()) {
                    c.setAutoCommit(false);
                    String id = run + "-" + i;
                    try (PreparedStatement s =
                        c.prepareStatement("INSERT INTO orders VALUES (?)")) {
                      s.setString(1, id);
                      s.executeUpdate();
                    }
                    if (outbox != null) {
                      outbox.append(
                          c,
                          Message.of(id, run, "k" + i, "bench", Long.toString(System.nanoTime())));
                    }
                    c.commit();
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                }
              }));
    }
    for (Thread t : threads) {
      t.join();
    }
  }

  /** The database's committed transactions and changed rows so far (pg_stat_database). */
  private static long[] commits(HikariDataSource ds) throws Exception {
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement()) {
      // The statistics collector reports with a delay; make this backend's counts current.
      var unused = s.execute("SELECT pg_stat_clear_snapshot()");
      try (var rs =
          s.executeQuery(
              "SELECT xact_commit, tup_inserted + tup_updated + tup_deleted FROM pg_stat_database"
                  + " WHERE datname = current_database()")) {
        rs.next();
        return new long[] {rs.getLong(1), rs.getLong(2)};
      }
    }
  }

  private static String setting(Properties services, String key) {
    String value = System.getenv(key);
    if (value == null) {
      value = services.getProperty(key);
    }
    if (value == null) {
      throw new IllegalStateException(
          key + " is not set; run `scripts/services up` or export " + key);
    }
    return value;
  }
}
