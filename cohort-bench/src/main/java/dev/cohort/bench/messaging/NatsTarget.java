package dev.cohort.bench.messaging;

import dev.cohort.messaging.Broker;
import dev.cohort.messaging.nats.NatsBroker;
import io.nats.client.Connection;
import io.nats.client.ConsumerContext;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.MessageConsumer;
import io.nats.client.Nats;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * {@code broker=nats}: the outbox side on {@link NatsBroker} (stream {@value #STREAM}, subjects
 * {@code bench.>}), the plain side on the same stream with the NATS client alone: each producer
 * publishes a message and waits for JetStream's acknowledgement, a durable pull consumer only
 * acknowledges.
 */
final class NatsTarget implements MessagingBench.Target {
  static final String STREAM = "COHORT_BENCH";

  private final URI url;

  NatsTarget(URI url) throws Exception {
    this.url = url;
    // A fresh stream per bench run, created by the broker as a user's would be.
    Connection c = Nats.connect(url.toString());
    try {
      var unused = c.jetStreamManagement().deleteStream(STREAM);
    } catch (JetStreamApiException e) {
      // none yet
    } finally {
      c.close();
    }
    try (NatsBroker b = (NatsBroker) broker()) {
      var unused = b.maxPayloadBytes(); // connects, creating the stream
    }
  }

  @Override
  public Broker broker() {
    return NatsBroker.builder(url).stream(STREAM).subjectPrefix("bench").build();
  }

  @Override
  public MessagingBench.Result plain(int producers, int messages) throws Exception {
    String queue = "p" + producers + "-" + System.nanoTime();
    String subject = "bench." + queue;
    Histogram latency = new ConcurrentHistogram(3);
    CountDownLatch received = new CountDownLatch(messages);
    Connection conn = Nats.connect(url.toString());
    try {
      ConsumerContext cc =
          conn.getStreamContext(STREAM)
              .createOrUpdateConsumer(
                  ConsumerConfiguration.builder()
                      .durable(queue)
                      .filterSubject(subject)
                      .ackPolicy(AckPolicy.Explicit)
                      .build());
      MessageConsumer consumer =
          cc.consume(m -> {
            latency.recordValue(
                System.nanoTime()
                    - Long.parseLong(new String(m.getData(), StandardCharsets.UTF_8)));
            m.ack();
            received.countDown();
          });
      JetStream js = conn.jetStream();
      AtomicInteger next = new AtomicInteger();
      long start = System.nanoTime();
      List<Thread> threads = new ArrayList<>();
      for (int t = 0; t < producers; t++) {
        threads.add(
            Thread.ofPlatform()
                .start(() -> {
                  try {
                    for (int i; (i = next.getAndIncrement()) < messages; ) {
                      var unused =
                          js.publish(
                              subject,
                              Long.toString(System.nanoTime()).getBytes(StandardCharsets.UTF_8));
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
      consumer.stop();
      return new MessagingBench.Result(messages / seconds, messages / writing, latency);
    } finally {
      conn.close();
      // Deleted once its connection is gone: a pull still open would report the deletion.
      Connection admin = Nats.connect(url.toString());
      try {
        var unused = admin.jetStreamManagement().deleteConsumer(STREAM, queue);
      } finally {
        admin.close();
      }
    }
  }
}
