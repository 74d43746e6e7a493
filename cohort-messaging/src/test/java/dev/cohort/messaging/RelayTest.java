package dev.cohort.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cohort.testing.time.ManualScheduler;
import dev.cohort.testing.time.MutableClock;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The outbox and relay on SQLite: ordering, backoff, dead letters, operator actions. */
class RelayTest {
  private static final Set<List<OutboxStatus>> SEEN = new HashSet<>();

  @TempDir Path dir;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final ScriptedBroker broker = new ScriptedBroker();
  private Outbox outbox;
  private Relay relay;

  @BeforeEach
  void setUp() {
    outbox =
        Outbox.builder(SqliteTables.in(dir))
            .clock(clock)
            .maxPayloadBytes(1024)
            .onStatusChange(c -> {
              if (c.from() != null) {
                SEEN.add(List.of(c.from(), c.to()));
              }
            })
            .build();
    relay =
        Relay.builder(outbox, broker)
            .backoff(Duration.ofSeconds(1), Duration.ofSeconds(4))
            .maxAttempts(4)
            .build();
  }

  private void write(Message... messages) throws Exception {
    try (Connection c = outbox.tables().dataSource().getConnection()) {
      c.setAutoCommit(false);
      for (Message m : messages) {
        outbox.append(c, m);
      }
      c.commit();
    }
  }

  private static Message msg(String id, String key) {
    return Message.of(id, "orders.events", key, "order.placed", "{\"id\":\"" + id + "\"}");
  }

  @Test
  void aStartedRelayDrainsFullBatchesInWriteOrderPublishingEachMessageOnce() throws Exception {
    for (int i = 1; i <= 7; i++) {
      write(msg("d" + i, i % 2 == 0 ? "a" : "b"));
    }
    ManualScheduler scheduler = new ManualScheduler(clock);
    try (Relay draining =
        Relay.builder(outbox, broker)
            .scheduler(scheduler)
            .batchSize(2)
            .pollInterval(Duration.ofSeconds(1))
            .build()
            .start()) {
      // One poll: 2 + 2 + 2 + 1, each batch read while the previous one's mark commits.
      scheduler.advance(Duration.ofSeconds(1));
      assertThat(broker.publishedIds()).containsExactly("d1", "d2", "d3", "d4", "d5", "d6", "d7");
      assertThat(outbox.count(OutboxStatus.SENT)).isEqualTo(7);
      assertThat(draining.stats().published()).isEqualTo(7);
    }
  }

  @Test
  void aDrainWhosePublishFailsDropsTheBatchItReadAheadSoNoKeyOvertakesItsRetry() throws Exception {
    write(msg("d1", "a"), msg("d2", "b"), msg("d3", "a"), msg("d4", "b"), msg("d5", "a"));
    broker.failAfter(1, 1); // [d1, d2] is taken, [d3, d4] fails while [d5] was read ahead
    ManualScheduler scheduler = new ManualScheduler(clock);
    try (Relay draining =
        Relay.builder(outbox, broker)
            .scheduler(scheduler)
            .batchSize(2)
            .pollInterval(Duration.ofMillis(100))
            .backoff(Duration.ofSeconds(1), Duration.ofSeconds(4))
            .build()
            .start()) {
      scheduler.advance(Duration.ofMillis(100));
      assertThat(broker.publishedIds()).containsExactly("d1", "d2");
      assertThat(outbox.find("d3").orElseThrow().attempts()).isEqualTo(1);
      assertThat(outbox.find("d5").orElseThrow().attempts()).isZero();
      assertThat(outbox.find("d5").orElseThrow().status()).isEqualTo(OutboxStatus.PENDING);

      // After the backoff every key goes on in write order.
      clock.advance(Duration.ofSeconds(1));
      scheduler.advance(Duration.ofMillis(100));
      assertThat(broker.publishedIds()).containsExactly("d1", "d2", "d3", "d4", "d5");
      assertThat(draining.stats().published()).isEqualTo(5);
    }
  }

  @Test
  void batchesInFlightAtOnceShareNoKeySoAFailedOneLetsNoLaterMessageOfItsKeysOvertake()
      throws Exception {
    int total = 24;
    for (int i = 0; i < total; i++) {
      write(msg("f" + i, "k" + (i % 6)));
    }
    try (SlowConfirmBroker slow = new SlowConfirmBroker(Duration.ofMillis(300), "f7")) {
      ManualScheduler scheduler = new ManualScheduler(clock);
      try (Relay draining =
          Relay.builder(outbox, slow)
              .scheduler(scheduler)
              .batchSize(3)
              .maxInFlight(4)
              .pollInterval(Duration.ofMillis(100))
              .backoff(Duration.ofSeconds(1), Duration.ofSeconds(4))
              .build()
              .start()) {
        scheduler.advance(Duration.ofMillis(100));
        assertThat(outbox.find("f7").orElseThrow().attempts())
            .as("the batch holding f7 was refused and recorded")
            .isEqualTo(1);
        for (int poll = 0; poll < 5 && outbox.count(OutboxStatus.SENT) < total; poll++) {
          clock.advance(Duration.ofSeconds(1)); // past f7's backoff
          scheduler.advance(Duration.ofMillis(100));
        }
        assertThat(outbox.count(OutboxStatus.SENT)).isEqualTo(total);
        assertThat(draining.stats().published()).isEqualTo(total);
      }
      assertThat(slow.mostInFlight())
          .as("batches waited for their confirms together")
          .isGreaterThan(1);
      List<String> confirmed = slow.confirmed();
      assertThat(confirmed).hasSize(total).doesNotHaveDuplicates();
      for (int k = 0; k < 6; k++) {
        String key = "k" + k;
        List<Integer> order =
            confirmed.stream()
                .map(id -> Integer.parseInt(id.substring(1)))
                .filter(i -> ("k" + (i % 6)).equals(key))
                .toList();
        assertThat(order).as("key %s in write order", key).isSorted();
      }
    }
  }

  @Test
  void rowsCommittedWhileABatchWaitsForItsConfirmsGoOutBeforeThoseConfirms() throws Exception {
    write(msg("early", "a"));
    try (SlowConfirmBroker slow = new SlowConfirmBroker(Duration.ofMillis(300), "none")) {
      // The first publish commits another message, as a producer would while it waits.
      Broker committingMeanwhile =
          new Broker() {
            private boolean first = true;

            @Override
            public CompletableFuture<Void> publishAsync(List<Message> messages) {
              if (first) {
                first = false;
                try {
                  write(msg("late", "b"));
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              }
              return slow.publishAsync(messages);
            }

            @Override
            public void publish(List<Message> messages) throws BrokerException {
              slow.publish(messages);
            }

            @Override
            public Subscription subscribe(String q, List<String> d, MessageHandler h) {
              throw new UnsupportedOperationException("the relay tests do not consume");
            }

            @Override
            public void close() {}
          };
      ManualScheduler scheduler = new ManualScheduler(clock);
      try (Relay draining =
          Relay.builder(outbox, committingMeanwhile)
              .scheduler(scheduler)
              .batchSize(10)
              .maxInFlight(4)
              .pollInterval(Duration.ofMillis(100))
              .build()
              .start()) {
        scheduler.advance(Duration.ofMillis(100)); // one drain
        assertThat(slow.confirmed()).containsExactly("early", "late");
        assertThat(slow.mostInFlight())
            .as("'late' was read and published while 'early' waited for its confirm")
            .isEqualTo(2);
        assertThat(outbox.count(OutboxStatus.SENT)).isEqualTo(2);
        assertThat(draining.stats().published()).isEqualTo(2);
      }
    }
  }

  @Test
  void publishesCommittedMessagesInWriteOrderAndMarksThemSent() throws Exception {
    write(msg("m1", "a"), msg("m2", "b"), msg("m3", "a"));

    assertThat(relay.runOnce().published()).isEqualTo(3);

    assertThat(broker.publishedIds()).containsExactly("m1", "m2", "m3");
    assertThat(outbox.count(OutboxStatus.SENT)).isEqualTo(3);
    assertThat(relay.runOnce().idle()).isTrue();
    assertThat(relay.stats().published()).isEqualTo(3);
  }

  @Test
  void aRolledBackTransactionLeavesNothingToPublish() throws Exception {
    try (Connection c = outbox.tables().dataSource().getConnection()) {
      c.setAutoCommit(false);
      outbox.append(c, msg("gone", "a"));
      c.rollback();
    }
    assertThat(relay.runOnce().idle()).isTrue();
    assertThat(broker.published).isEmpty();
  }

  @Test
  void aFailedPublishIsRetriedWithDoublingBackoffAndHoldsItsKeysLaterMessages() throws Exception {
    write(msg("m1", "a"));
    broker.failNext(1);

    assertThat(relay.runOnce().failed()).isEqualTo(1);
    write(msg("m2", "a"), msg("m3", "b"));
    // m1 waits 1 s; m2 (same key) waits behind it, m3 (another key) goes now.
    assertThat(relay.runOnce().published()).isEqualTo(1);
    assertThat(broker.publishedIds()).containsExactly("m3");

    clock.advance(Duration.ofSeconds(1));
    broker.failNext(1);
    assertThat(relay.runOnce().failed()).isEqualTo(2); // m1 and m2 together, both fail
    OutboxEntry m1 = outbox.find("m1").orElseThrow();
    assertThat(m1.attempts()).isEqualTo(2);
    assertThat(m1.nextAttemptAt()).isEqualTo(clock.instant().plusSeconds(2)); // doubled
    assertThat(m1.error()).contains("scripted failure");

    clock.advance(Duration.ofSeconds(2));
    relay.runOnce();
    assertThat(broker.publishedIds()).containsExactly("m3", "m1", "m2");
    assertThat(relay.stats().failedAttempts()).isEqualTo(3);
  }

  @Test
  void backoffDoublesUpToTheCap() {
    assertThat(relay.backoff(1)).isEqualTo(Duration.ofSeconds(1));
    assertThat(relay.backoff(2)).isEqualTo(Duration.ofSeconds(2));
    assertThat(relay.backoff(3)).isEqualTo(Duration.ofSeconds(4));
    assertThat(relay.backoff(30)).isEqualTo(Duration.ofSeconds(4));
  }

  @Test
  void afterTheLastAttemptTheMessageIsDeadVisibleAndCountedAndHoldsItsKey() throws Exception {
    write(msg("m1", "a"), msg("m2", "a"));
    broker.failNext(4);
    for (int i = 0; i < 4; i++) {
      relay.runOnce();
      clock.advance(Duration.ofSeconds(4));
    }
    write(msg("m3", "b"));

    assertThat(outbox.deadLetters(10))
        .extracting(e -> e.message().id())
        .containsExactly("m1", "m2");
    assertThat(relay.stats().deadLettered()).isGreaterThanOrEqualTo(1);
    OutboxEntry dead = outbox.deadLetters(10).get(0);
    assertThat(dead.attempts()).isEqualTo(4);
    assertThat(dead.error()).contains("scripted failure");
    // Key a is held by its dead message; nothing of key a goes out until an operator acts.
    write(msg("m4", "a"));
    relay.runOnce();
    assertThat(broker.publishedIds()).containsExactly("m3");

    // A dead message holds only the messages written after it: m1 goes while m2 is still dead.
    assertThat(outbox.retry("m1")).isTrue();
    relay.runOnce();
    assertThat(broker.publishedIds()).containsExactly("m3", "m1");
    assertThat(outbox.retry("m2")).isTrue();
    relay.runOnce();
    assertThat(broker.publishedIds()).containsExactly("m3", "m1", "m2", "m4");
  }

  @Test
  void discardingADeadMessageReleasesItsKey() throws Exception {
    write(msg("m1", "a"), msg("m2", "a"));
    broker.failNext(4);
    for (int i = 0; i < 4; i++) {
      relay.runOnce();
      clock.advance(Duration.ofSeconds(4));
    }
    assertThat(outbox.discard("m1")).isTrue();
    assertThat(outbox.discard("m1")).isFalse(); // compare-and-set: already moved
    outbox.retry("m2");
    relay.runOnce();
    assertThat(broker.publishedIds()).containsExactly("m2");
    assertThat(outbox.find("m1").orElseThrow().status()).isEqualTo(OutboxStatus.DISCARDED);
  }

  @Test
  void aPayloadOverTheLimitIsRefusedBeforeAnythingIsWritten() throws Exception {
    Message big = Message.of("big", "orders.events", "a", "order.placed", "x".repeat(1025));
    try (Connection c = outbox.tables().dataSource().getConnection()) {
      c.setAutoCommit(false);
      assertThatThrownBy(() -> outbox.append(c, big))
          .isInstanceOf(MessageTooLargeException.class)
          .hasMessageContaining("1025-byte payload")
          .hasMessageContaining("1024");
      c.commit();
    }
    assertThat(outbox.find("big")).isEmpty();
  }

  @Test
  void appendRefusesAConnectionInAutoCommitAndATakenId() throws Exception {
    try (Connection c = outbox.tables().dataSource().getConnection()) {
      assertThatThrownBy(() -> outbox.append(c, msg("m1", "a")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("auto-commit");
    }
    write(msg("m1", "a"));
    assertThatThrownBy(() -> write(msg("m1", "a"))).isInstanceOf(DuplicateMessageException.class);
  }

  @Test
  void checkBackAnswersCommittedForAWrittenMessageAndVoidsAMissingOne() throws Exception {
    write(msg("m1", "a"));
    assertThat(outbox.checkBack("m1")).isEqualTo(LocalTransactionState.COMMITTED);
    assertThat(outbox.checkBack("late")).isEqualTo(LocalTransactionState.ROLLED_BACK);
    assertThat(outbox.checkBack("late")).isEqualTo(LocalTransactionState.ROLLED_BACK);
    // The transaction that was to write it can no longer commit it.
    assertThatThrownBy(() -> write(msg("late", "a"))).isInstanceOf(DuplicateMessageException.class);
    relay.runOnce();
    assertThat(broker.publishedIds()).containsExactly("m1");
  }

  @Test
  void badMessagesAreRefusedNamingTheField() {
    assertThatThrownBy(() -> Message.of("", "d", "k", "t", "{}"))
        .isInstanceOf(InvalidMessageException.class)
        .hasMessageContaining("id");
    assertThatThrownBy(() -> Message.of("i", "bad destination", "k", "t", "{}"))
        .hasMessageContaining("destination 'bad destination'");
    assertThatThrownBy(() -> Message.of("i", "d", "k", "t", null)).hasMessageContaining("payload");
    assertThatThrownBy(() ->
            Relay.builder(outbox, broker).backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .hasMessageContaining("swap");
  }

  @Test
  void everyStatusHasARoundTripCode() {
    for (OutboxStatus s : OutboxStatus.values()) {
      assertThat(OutboxStatus.fromCode(s.code())).isEqualTo(s);
    }
    assertThatThrownBy(() -> OutboxStatus.SENT.transition(OutboxStatus.PENDING))
        .hasMessageContaining("from sent");
  }

  @AfterAll
  static void everyLegalTransitionWasExercised() {
    List<List<OutboxStatus>> missing = new ArrayList<>(OutboxStatus.legalTransitions());
    missing.removeAll(SEEN);
    assertThat(missing).as("legal outbox transitions no test exercised").isEmpty();
  }

  /**
   * Confirms each batch later, on a thread of its own and in publish order, so that a started relay
   * has several in flight; the batch holding {@code refused} is nacked, once.
   */
  private static final class SlowConfirmBroker implements Broker {
    private final ScheduledExecutorService confirms =
        Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().factory());
    private final Duration delay;
    private final Set<String> refuseOnce = ConcurrentHashMap.newKeySet();
    private final List<String> confirmed = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger mostInFlight = new AtomicInteger();

    SlowConfirmBroker(Duration delay, String refused) {
      this.delay = delay;
      refuseOnce.add(refused);
    }

    @Override
    public CompletableFuture<Void> publishAsync(List<Message> messages) {
      mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
      CompletableFuture<Void> done = new CompletableFuture<>();
      var unused =
          confirms.schedule(
              () -> {
                inFlight.decrementAndGet();
                if (messages.stream().anyMatch(m -> refuseOnce.remove(m.id()))) {
                  done.completeExceptionally(new BrokerException("scripted nack"));
                } else {
                  messages.forEach(m -> confirmed.add(m.id()));
                  done.complete(null);
                }
              },
              delay.toMillis(),
              TimeUnit.MILLISECONDS);
      return done;
    }

    @Override
    public void publish(List<Message> messages) throws BrokerException {
      try {
        publishAsync(messages).get();
      } catch (ExecutionException e) {
        throw (BrokerException) e.getCause();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new BrokerException("interrupted", e);
      }
    }

    int mostInFlight() {
      return mostInFlight.get();
    }

    List<String> confirmed() {
      synchronized (confirmed) {
        return List.copyOf(confirmed);
      }
    }

    @Override
    public Subscription subscribe(String queue, List<String> destinations, MessageHandler handler) {
      throw new UnsupportedOperationException("the relay tests do not consume");
    }

    @Override
    public void close() {
      confirms.shutdownNow();
    }
  }
}
