package dev.cohort.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cohort.testing.time.MutableClock;
import dev.cohort.testsupport.DatabasePair;
import dev.cohort.testsupport.TestServices;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two relays on one outbox in a real PostgreSQL (two replicas of one service): the lease lets one
 * publish at a time, and the other takes over once it expired or was released.
 */
class RelayLeaseIT {
  private static final Duration TTL = Duration.ofSeconds(10);

  private TestServices services;
  private DatabasePair db;
  private MessagingTables tables;

  @BeforeEach
  void setUp() {
    services = TestServices.load();
    db = services.postgres().isolated("relay_lease_it");
    tables = MessagingTables.of(db.primary()).migrate();
  }

  @AfterEach
  void tearDown() {
    db.close();
    services.close();
  }

  private void write(Outbox outbox, Message... messages) throws Exception {
    ShopFixture.writeInOneTransaction(db.primary(), outbox, messages);
  }

  private static Message msg(String id, String key) {
    return Message.of(id, "orders.events", key, "order.placed", "{}");
  }

  @Test
  void theSecondRelayWaitsUntilTheLeaseExpiresThenTakesOver() throws Exception {
    MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    Outbox outbox = Outbox.builder(tables).clock(clock).build();
    ScriptedBroker brokerA = new ScriptedBroker();
    ScriptedBroker brokerB = new ScriptedBroker();
    Relay a = Relay.builder(outbox, brokerA).lease("replica-a", TTL).build();
    Relay b = Relay.builder(outbox, brokerB).lease("replica-b", TTL).build();
    write(outbox, msg("m1", "order-1"), msg("m2", "order-1"));

    assertThat(a.runOnce().published()).isEqualTo(2);
    write(outbox, msg("m3", "order-1"));
    assertThat(b.runOnce().idle()).isTrue(); // a holds the lease
    clock.advance(TTL.minusSeconds(1));
    assertThat(b.runOnce().idle()).isTrue(); // not expired yet
    assertThat(a.runOnce().published()).isEqualTo(1); // a renews it

    clock.advance(TTL.plusSeconds(1)); // a stops renewing (as if dead): the lease expires
    write(outbox, msg("m4", "order-1"));
    assertThat(b.runOnce().published()).isEqualTo(1);
    write(outbox, msg("m5", "order-1"));
    assertThat(a.runOnce().idle()).isTrue(); // b holds it now

    b.close(); // released at once: a need not wait for the expiry
    assertThat(a.runOnce().published()).isEqualTo(1);

    assertThat(brokerA.publishedIds()).containsExactly("m1", "m2", "m3", "m5");
    assertThat(brokerB.publishedIds()).containsExactly("m4");
    a.close();
  }

  @Test
  void twoRelaysRunningAtOnceNeverPublishAMessageTwiceOrAKeyOutOfOrder() throws Exception {
    Outbox outbox = Outbox.builder(tables).clock(Clock.systemUTC()).build();
    ScriptedBroker broker = new ScriptedBroker(); // one broker: the order consumers would see
    int total = 300;
    List<Message> all = new ArrayList<>();
    for (int i = 0; i < total; i++) {
      all.add(msg(String.format("m%04d", i), "order-" + (i % 7)));
    }
    try (Relay a = Relay.builder(outbox, broker).batchSize(16).lease("replica-a", TTL).build();
        Relay b = Relay.builder(outbox, broker).batchSize(16).lease("replica-b", TTL).build()) {
      ExecutorService pool = Executors.newFixedThreadPool(3);
      try {
        Future<?> writer =
            pool.submit(() -> {
              for (int i = 0; i < total; i += 10) {
                write(outbox, all.subList(i, i + 10).toArray(Message[]::new));
              }
              return null;
            });
        List<Future<?>> relays = new ArrayList<>();
        for (Relay r : List.of(a, b)) {
          relays.add(
              pool.submit(() -> {
                while (!writer.isDone() || outbox.count(OutboxStatus.PENDING) > 0) {
                  r.runOnce();
                }
                return null;
              }));
        }
        writer.get();
        for (Future<?> f : relays) {
          f.get();
        }
      } finally {
        pool.shutdownNow();
      }
    }

    List<String> published;
    synchronized (broker) {
      published = List.copyOf(broker.publishedIds());
    }
    assertThat(published).hasSize(total);
    assertThat(new HashSet<>(published)).hasSize(total);
    Map<String, String> lastByKey = new HashMap<>();
    for (String id : published) {
      String key = "order-" + (Integer.parseInt(id.substring(1)) % 7);
      String last = lastByKey.put(key, id);
      assertThat(last == null || last.compareTo(id) < 0)
          .as("%s published after %s for %s", id, last, key)
          .isTrue();
    }
  }
}
