package dev.cohort.messagemode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cohort.api.BranchId;
import dev.cohort.api.Gid;
import dev.cohort.api.GlobalStatus;
import dev.cohort.coordinator.Coordinator;
import dev.cohort.coordinator.CoordinatorOptions;
import dev.cohort.coordinator.InMemoryStore;
import dev.cohort.messaging.DuplicateMessageException;
import dev.cohort.messaging.Message;
import dev.cohort.messaging.MessagingTables;
import dev.cohort.messaging.Outbox;
import dev.cohort.testing.time.ManualScheduler;
import dev.cohort.testing.time.MutableClock;
import dev.cohort.testsupport.DatabasePair;
import dev.cohort.testsupport.TestServices;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The reliable-message mode on the engine, its check-back answered by the outbox in a real
 * PostgreSQL: prepare, local transaction, submit — and what happens when the submit is lost.
 */
class ReliableMessageModeIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final ManualScheduler scheduler = new ManualScheduler(clock);
  private final List<String> received = new CopyOnWriteArrayList<>();
  private final AtomicBoolean serviceDown = new AtomicBoolean();
  private TestServices services;
  private DatabasePair db;
  private Outbox outbox;
  private Coordinator coordinator;

  @BeforeEach
  void setUp() {
    services = TestServices.load();
    db = services.postgres().isolated("message_mode_it");
    outbox = Outbox.builder(MessagingTables.of(db.primary()).migrate()).build();
    coordinator =
        Coordinator.builder(new InMemoryStore())
            .options(
                CoordinatorOptions.newBuilder()
                    .nodeId("node-1")
                    .initialBackoff(Duration.ofSeconds(1))
                    .jitter(0.0)
                    .pollInterval(Duration.ofHours(1))
                    .build())
            .clock(clock)
            .scheduler(scheduler)
            .executor(Runnable::run)
            .deliveryExecutor(Runnable::run)
            .mode(ReliableMessageMode.Processor::new)
            .build();
    coordinator.registerParticipant(
        ReliableMessageMode.CHECKS,
        "orders",
        source -> {
          if (serviceDown.get()) {
            throw new IllegalStateException("orders service unreachable");
          }
          return outbox.checkBack(source.gid().value())
              == dev.cohort.messaging.LocalTransactionState.COMMITTED;
        });
    coordinator.registerParticipant(
        ReliableMessageMode.RECEIVERS, "shipping", call -> received.add(call.payload()));
    coordinator.start();
  }

  @AfterEach
  void tearDown() {
    coordinator.close();
    db.close();
    services.close();
  }

  /** Prepare: the transaction with its check-back branch and one receiver, nothing delivered. */
  private Gid prepare() {
    Gid gid = coordinator.open(ReliableMessageMode.MSG, TIMEOUT, null).gid();
    coordinator.register(gid, BranchId.of("source"), "orders", "", false);
    coordinator.register(gid, BranchId.of("ship"), "shipping", "ship order 7", false);
    return gid;
  }

  /** The service's local transaction: the order and the outbox row keyed by the gid. */
  private void localTransaction(Gid gid, boolean commit) throws Exception {
    try (Connection c = db.primary().getConnection()) {
      c.setAutoCommit(false);
      outbox.append(c, Message.of(gid.value(), "orders.placed", "7", "order.placed", "{}"));
      if (commit) {
        c.commit();
      } else {
        c.rollback();
      }
    }
  }

  private void pastTheDeadline() {
    scheduler.advance(TIMEOUT.plusSeconds(1));
    coordinator.pollNow();
  }

  @Test
  void aSubmittedMessageIsDeliveredToItsReceivers() throws Exception {
    Gid gid = prepare();
    localTransaction(gid, true);
    assertThat(received).isEmpty();

    assertThat(coordinator.commit(gid).status()).isEqualTo(GlobalStatus.COMMITTED);
    assertThat(received).containsExactly("ship order 7");
  }

  @Test
  void aLostSubmitAfterACommittedLocalTransactionIsCommittedByTheCheckBack() throws Exception {
    Gid gid = prepare();
    localTransaction(gid, true); // ... and the submit never arrives

    pastTheDeadline();

    assertThat(coordinator.find(gid).status()).isEqualTo(GlobalStatus.COMMITTED);
    assertThat(received).containsExactly("ship order 7");
  }

  @Test
  void aLostSubmitAfterARolledBackLocalTransactionIsRolledBackAndTheIdClosed() throws Exception {
    Gid gid = prepare();
    localTransaction(gid, false);

    pastTheDeadline();

    assertThat(coordinator.find(gid).status()).isEqualTo(GlobalStatus.ROLLED_BACK);
    assertThat(received).isEmpty();
    // A local transaction that only now gets to commit cannot: the check-back closed the id.
    assertThatThrownBy(() -> localTransaction(gid, true))
        .isInstanceOf(DuplicateMessageException.class);
  }

  @Test
  void aCheckBackTheServiceCannotAnswerIsAskedAgainLater() throws Exception {
    Gid gid = prepare();
    localTransaction(gid, true);
    serviceDown.set(true);

    pastTheDeadline();
    assertThat(coordinator.find(gid).status()).isEqualTo(GlobalStatus.OPEN);
    assertThat(coordinator.find(gid).branches().get(0).lastError()).contains("unreachable");

    serviceDown.set(false);
    scheduler.advance(Duration.ofSeconds(2));
    coordinator.pollNow();
    assertThat(coordinator.find(gid).status()).isEqualTo(GlobalStatus.COMMITTED);
    assertThat(received).containsExactly("ship order 7");
  }

  @Test
  void aTransactionWithoutReceiversIsRefusedAtSubmit() {
    Gid gid = coordinator.open(ReliableMessageMode.MSG, TIMEOUT, null).gid();
    coordinator.register(gid, BranchId.of("source"), "orders", "", false);
    assertThatThrownBy(() -> coordinator.commit(gid)).hasMessageContaining("at least one receiver");
    assertThatThrownBy(() -> coordinator.register(gid, BranchId.of("x"), "orders", "", false))
        .hasMessageContaining("reliable-message receiver");
  }
}
