package dev.cohort.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cohort.jdbc.Database;
import dev.cohort.jdbc.Schema;
import dev.cohort.jdbc.SchemaMigrator;
import dev.cohort.testsupport.DatabasePair;
import dev.cohort.testsupport.TestServices;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Schema V4 on a real PostgreSQL: an outbox written under V3 (PENDING, SENT and DEAD rows) is
 * migrated to the partial index that leaves SENT rows out, and the relay, the dead-letter listing
 * and the gauges go on as before, their queries planned on the new index.
 */
class OutboxIndexIT {
  private TestServices services;
  private DatabasePair db;

  @BeforeEach
  void setUp() {
    services = TestServices.load();
    db = services.postgres().isolated("outbox_index_it");
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

  private List<String> rows(String sql) throws Exception {
    return rows(false, sql);
  }

  /** The first column of every row; {@code indexOnly}: as if the table were large (no seq scan). */
  private List<String> rows(boolean indexOnly, String sql) throws Exception {
    List<String> rows = new ArrayList<>();
    try (Connection c = db.primary().getConnection();
        Statement s = c.createStatement()) {
      s.execute("SET enable_seqscan = " + (indexOnly ? "off" : "on"));
      try (ResultSet rs = s.executeQuery(sql)) {
        while (rs.next()) {
          rows.add(rs.getString(1));
        }
      } finally {
        s.execute("RESET enable_seqscan");
      }
    }
    return rows;
  }

  @Test
  void anOutboxWrittenUnderV3KeepsWorkingOnThePartialIndex() throws Exception {
    MessagingTables tables = MessagingTables.of(db.primary(), "ix_");
    Schema v3 =
        Schema.builder("messaging", MessagingTables.class)
            .historyTable("ix_messaging_version")
            .version("create_messaging_tables")
            .version("dead_letter_actions")
            .version("relay_lease")
            .placeholder("prefix", "ix_")
            .build();
    try (Connection c = db.primary().getConnection()) {
      assertThat(SchemaMigrator.of(v3).migrate(c, Database.POSTGRESQL).toVersion()).isEqualTo(3);
    }
    Outbox outbox = Outbox.builder(tables).build();
    ScriptedBroker broker = new ScriptedBroker();
    write(outbox, msg("s1", "a"), msg("s2", "b"));
    Relay relay = Relay.builder(outbox, broker).maxAttempts(1).build();
    assertThat(relay.runOnce().published()).isEqualTo(2); // SENT under V3
    write(outbox, msg("d1", "c"));
    broker.failNext(1);
    assertThat(relay.runOnce().deadLettered()).isEqualTo(1); // DEAD under V3
    write(outbox, msg("p1", "a"), msg("p2", "c")); // p2 waits behind its key's dead d1

    tables.migrate();
    assertThat(
            rows(
                "SELECT indexname || ' ' || indexdef FROM pg_indexes WHERE schemaname ="
                    + " current_schema() AND tablename = 'ix_outbox' ORDER BY indexname"))
        .anySatisfy(i ->
            assertThat(i)
                .startsWith("ix_outbox_unsent ")
                .endsWith("(status, seq) WHERE ((status)::text <> 'sent'::text)"))
        .noneSatisfy(i -> assertThat(i).startsWith("ix_outbox_status "));

    assertThat(outbox.count(OutboxStatus.PENDING)).isEqualTo(2);
    assertThat(outbox.count(OutboxStatus.SENT)).isEqualTo(2);
    assertThat(outbox.deadLetters(10)).extracting(e -> e.message().id()).containsExactly("d1");
    assertThat(outbox.oldestPending()).isPresent();
    assertThat(relay.runOnce().published()).isEqualTo(1);
    assertThat(broker.publishedIds()).containsExactly("s1", "s2", "p1");
    assertThat(outbox.list(OutboxStatus.SENT, 10))
        .extracting(e -> e.message().id())
        .containsExactly("s1", "s2", "p1");
    assertThat(outbox.discard("d1", "test")).isTrue();
    assertThat(relay.runOnce().published()).isEqualTo(1); // p2, its key released
    assertThat(outbox.count(OutboxStatus.PENDING)).isZero();

    // The shapes of the relay's and the listing's queries (statuses written in, as Outbox does).
    for (String query :
        List.of(
            "SELECT * FROM ix_outbox WHERE status = 'pending' AND NOT (seq = ANY ('{1,2}'))"
                + " ORDER BY seq LIMIT 256",
            "SELECT aggregate_key, MIN(seq) FROM ix_outbox WHERE status = 'dead'"
                + " GROUP BY aggregate_key",
            "SELECT * FROM ix_outbox WHERE status = 'dead' ORDER BY seq LIMIT 50")) {
      assertThat(String.join("\n", rows(true, "EXPLAIN " + query)))
          .as(query)
          .contains("ix_outbox_unsent");
    }
  }

  @Test
  void aStartedRelayOnV4PublishesEveryMessageOnce() throws Exception {
    MessagingTables tables = MessagingTables.of(db.primary(), "iy_").migrate();
    Outbox outbox = Outbox.builder(tables).build();
    ScriptedBroker broker = new ScriptedBroker();
    try (Relay relay =
        Relay.builder(outbox, broker).batchSize(7).pollInterval(Duration.ofMillis(5)).build()) {
      relay.start();
      for (int i = 0; i < 60; i++) {
        write(outbox, msg("m" + i, "k" + (i % 5)));
      }
      await().atMost(Duration.ofSeconds(30)).until(() -> outbox.count(OutboxStatus.SENT) >= 60);
    }
    assertThat(outbox.count(OutboxStatus.SENT)).isEqualTo(60);
    assertThat(broker.publishedIds()).hasSize(60).doesNotHaveDuplicates();
  }
}
