package dev.cohort.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The inbox on SQLite: one effect per message id, parking, replay. */
class InboxTest {
  private static final Set<List<InboxStatus>> SEEN = new HashSet<>();

  @TempDir Path dir;
  private MessagingTables tables;
  private final AtomicBoolean acceptsGifts = new AtomicBoolean();

  @BeforeEach
  void setUp() throws Exception {
    tables = SqliteTables.in(dir);
    try (Connection c = tables.dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE shipments (order_id TEXT NOT NULL)");
    }
  }

  private Inbox inbox() {
    return Inbox.builder(tables, "shipping")
        .handler("order.paid", (c, m) -> ship(c, m.payload()))
        .handler(
            "order.gift",
            (c, m) -> {
              if (!acceptsGifts.get()) {
                throw new UnprocessableMessageException("gift orders are not shipped yet");
              }
              ship(c, m.payload());
            })
        .handler(
            "order.json",
            (c, m) -> {
              if (!m.payload().startsWith("{")) {
                throw new UnprocessableMessageException("payload is not JSON: " + m.payload());
              }
              ship(c, m.payload());
            })
        .onStatusChange(ch -> {
          if (ch.from() != null) {
            SEEN.add(List.of(ch.from(), ch.to()));
          }
        })
        .build();
  }

  private static void ship(Connection c, String orderId) throws Exception {
    try (PreparedStatement s = c.prepareStatement("INSERT INTO shipments VALUES (?)")) {
      s.setString(1, orderId);
      s.executeUpdate();
    }
  }

  private int shipments() throws Exception {
    try (Connection c = tables.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM shipments")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  private static Message paid(String id) {
    return Message.of(id, "orders.paid", "o1", "order.paid", "o1");
  }

  @Test
  void aRedeliveredMessageIsSkipped() throws Exception {
    Inbox inbox = inbox();
    assertThat(inbox.receive(paid("m1"))).isEqualTo(InboxResult.APPLIED);
    assertThat(inbox.receive(paid("m1"))).isEqualTo(InboxResult.DUPLICATE_SKIPPED);
    assertThat(shipments()).isEqualTo(1);
    assertThat(inbox.seen("m1")).isTrue();
  }

  @Test
  void aHandlerFailureRecordsNothingSoTheRedeliveryApplies() throws Exception {
    AtomicBoolean fail = new AtomicBoolean(true);
    Inbox inbox =
        Inbox.builder(tables, "flaky")
            .handler(
                "order.paid",
                (c, m) -> {
                  ship(c, m.payload());
                  if (fail.get()) {
                    throw new IllegalStateException("database of a neighbour is down");
                  }
                })
            .build();
    assertThatThrownBy(() -> inbox.receive(paid("m1"))).hasMessageContaining("neighbour");
    assertThat(inbox.seen("m1")).isFalse();
    assertThat(shipments()).isZero();
    fail.set(false);
    assertThat(inbox.receive(paid("m1"))).isEqualTo(InboxResult.APPLIED);
    assertThat(shipments()).isEqualTo(1);
  }

  @Test
  void anUnknownTypeIsParkedWithTheReasonAndThePayload() throws Exception {
    Inbox inbox = inbox();
    Message odd = Message.of("m2", "orders.paid", "o1", "order.refunded", "{\"x\":1}");
    assertThat(inbox.receive(odd)).isEqualTo(InboxResult.PARKED);
    assertThat(inbox.receive(odd)).isEqualTo(InboxResult.DUPLICATE_SKIPPED);

    InboxEntry parked = inbox.parked(10).get(0);
    assertThat(parked.message()).isEqualTo(odd);
    assertThat(parked.reason()).contains("unknown message type 'order.refunded'");
    assertThat(shipments()).isZero();
  }

  @Test
  void aPayloadThatDoesNotParseIsParkedAndItsPartialEffectRolledBack() throws Exception {
    Inbox inbox = inbox();
    Message broken = Message.of("m3", "orders.paid", "o1", "order.json", "not json");
    assertThat(inbox.receive(broken)).isEqualTo(InboxResult.PARKED);
    assertThat(inbox.parked(10))
        .extracting(InboxEntry::reason)
        .containsExactly("payload is not JSON: not json");
    assertThat(inbox.discard("m3")).isTrue();
    assertThat(inbox.parked(10)).isEmpty();
    assertThat(inbox.find("m3").orElseThrow().status()).isEqualTo(InboxStatus.DISCARDED);
  }

  @Test
  void aParkedMessageIsReplayedOnceItsHandlerAcceptsIt() throws Exception {
    Inbox inbox = inbox();
    Message gift = Message.of("m4", "orders.paid", "o9", "order.gift", "o9");
    assertThat(inbox.receive(gift)).isEqualTo(InboxResult.PARKED);
    assertThat(inbox.replay("m4")).isEqualTo(InboxResult.PARKED);
    acceptsGifts.set(true);
    assertThat(inbox.replay("m4")).isEqualTo(InboxResult.APPLIED);
    assertThat(inbox.find("m4").orElseThrow().status()).isEqualTo(InboxStatus.APPLIED);
    assertThat(shipments()).isEqualTo(1);
    assertThatThrownBy(() -> inbox.replay("m4")).hasMessageContaining("no parked message m4");
  }

  @Test
  void consumersKeepSeparateInboxes() throws Exception {
    Inbox shipping = inbox();
    Inbox billing = Inbox.builder(tables, "billing").handler("order.paid", (c, m) -> {}).build();
    assertThat(shipping.receive(paid("m5"))).isEqualTo(InboxResult.APPLIED);
    assertThat(billing.receive(paid("m5"))).isEqualTo(InboxResult.APPLIED);
  }

  private static Message order(String id, String type, String orderId) {
    return Message.of(id, "orders.paid", orderId, type, orderId);
  }

  @Test
  void aBatchAppliesItsNewMessagesInOneTransactionAndSkipsTheOnesAlreadySeen() throws Exception {
    List<Integer> committedWhileApplying = new ArrayList<>();
    Inbox inbox =
        Inbox.builder(tables, "shipping")
            .handler(
                "order.paid",
                (c, m) -> {
                  committedWhileApplying.add(shipments()); // another connection: committed only
                  ship(c, m.payload());
                })
            .build();
    assertThat(inbox.receive(order("m1", "order.paid", "o1"))).isEqualTo(InboxResult.APPLIED);

    int settled =
        inbox.receiveAll(
            List.of(
                order("m1", "order.paid", "o1"),
                order("m2", "order.paid", "o2"),
                order("m3", "order.paid", "o3"),
                order("m2", "order.paid", "o2")));

    assertThat(settled).isEqualTo(4);
    assertThat(shipments()).isEqualTo(3);
    // m2 and m3 ran in one transaction: m3's handler did not see m2's shipment committed.
    assertThat(committedWhileApplying).containsExactly(0, 1, 1);
    assertThat(inbox.stats()).isEqualTo(new InboxStats(3, 2, 0));
    assertThat(inbox.receiveAll(List.of())).isZero();
  }

  @Test
  void aBatchParksWhatCannotApplyAloneAndAppliesTheRest() throws Exception {
    Inbox inbox = inbox();
    int settled =
        inbox.receiveAll(
            List.of(
                order("b1", "order.paid", "o1"),
                order("b2", "order.json", "not json"),
                order("b3", "order.refunded", "o3"),
                order("b4", "order.paid", "o4")));

    assertThat(settled).isEqualTo(4);
    assertThat(inbox.find("b1").orElseThrow().status()).isEqualTo(InboxStatus.APPLIED);
    assertThat(inbox.find("b4").orElseThrow().status()).isEqualTo(InboxStatus.APPLIED);
    assertThat(inbox.find("b2").orElseThrow().reason()).isEqualTo("payload is not JSON: not json");
    assertThat(inbox.find("b3").orElseThrow().reason())
        .startsWith("unknown message type 'order.refunded'");
    assertThat(inbox.parked(10)).extracting(e -> e.message().id()).containsOnly("b2", "b3");
    assertThat(shipments()).isEqualTo(2);
    assertThat(inbox.stats()).isEqualTo(new InboxStats(2, 0, 2));
  }

  @Test
  void aBatchStopsAtAMessageThatFailsAloneAndItsRedeliveryAppliesEachOnce() throws Exception {
    AtomicBoolean neighbourDown = new AtomicBoolean(true);
    List<String> handled = new ArrayList<>();
    Inbox inbox =
        Inbox.builder(tables, "flaky")
            .handler(
                "order.paid",
                (c, m) -> {
                  handled.add(m.id());
                  ship(c, m.payload());
                  if (m.id().equals("f2") && neighbourDown.get()) {
                    throw new IllegalStateException("database of a neighbour is down");
                  }
                })
            .build();
    List<Message> batch =
        List.of(
            order("f1", "order.paid", "o1"),
            order("f2", "order.paid", "o2"),
            order("f3", "order.paid", "o3"));

    // The batch rolls back at f2; alone, f1 applies and f2 fails again: 1 settled, f2 and f3 are
    // delivered again.
    assertThat(inbox.receiveAll(batch)).isEqualTo(1);
    assertThat(handled).containsExactly("f1", "f2", "f1", "f2");
    assertThat(inbox.seen("f1")).isTrue();
    assertThat(inbox.seen("f2")).isFalse();
    assertThat(inbox.seen("f3")).isFalse();
    assertThat(shipments()).isEqualTo(1);

    neighbourDown.set(false);
    assertThat(inbox.receiveAll(batch.subList(1, 3))).isEqualTo(2);
    assertThat(inbox.receiveAll(batch)).isEqualTo(3); // a redelivery of all three: skipped
    assertThat(shipments()).isEqualTo(3);
    assertThat(inbox.stats()).isEqualTo(new InboxStats(3, 3, 0));
  }

  @AfterAll
  static void everyLegalTransitionWasExercised() {
    List<List<InboxStatus>> missing = new ArrayList<>(InboxStatus.legalTransitions());
    missing.removeAll(SEEN);
    assertThat(missing).as("legal inbox transitions no test exercised").isEmpty();
  }
}
