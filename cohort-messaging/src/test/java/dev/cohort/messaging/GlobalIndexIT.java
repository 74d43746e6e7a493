package dev.cohort.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConnectionFactory;
import dev.cohort.jdbc.Database;
import dev.cohort.testsupport.DatabasePair;
import dev.cohort.testsupport.TestServices;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A user table on PostgreSQL and its phone-number index on MariaDB (a global secondary index).
 *
 * <p>Naive: two writes, one per database; a crash between them leaves table and index disagreeing
 * for good (a user no phone lookup finds; a lookup of an old number that still finds the user).
 * Cohort: the user change and its index change ({@link GlobalIndex#change}) commit together in the
 * users' database through the outbox; the relay publishes to RabbitMQ and the index's inbox applies
 * it on MariaDB. A crash before the commit loses both, a crash after it loses neither: once the
 * relay has run, the index agrees with the table.
 */
class GlobalIndexIT {
  private final GlobalIndex byPhone = GlobalIndex.of("user_by_phone");
  private final String exchange = "cohort.gsi." + UUID.randomUUID();
  private final String queue = "cohort-gsi-" + UUID.randomUUID();
  private TestServices services;
  private DatabasePair users;
  private DatabasePair index;
  private Outbox outbox;
  private Inbox inbox;
  private RabbitBroker broker;

  /** Where the simulated crash happens. */
  enum Crash {
    NONE,
    BEFORE_COMMIT,
    BETWEEN_THE_WRITES
  }

  static final class Crashed extends RuntimeException {
    Crashed() {
      super("simulated crash");
    }
  }

  @BeforeEach
  void setUp() throws SQLException {
    services = TestServices.load();
    users = services.postgres().isolated("gsi_users");
    index = services.mariadb().isolated("gsi_index");
    MessagingTables usersTables = MessagingTables.of(users.primary()).migrate();
    MessagingTables indexTables = MessagingTables.of(index.primary()).migrate();
    execute(
        users,
        List.of(
            "CREATE TABLE app_user (id VARCHAR(64) PRIMARY KEY, phone VARCHAR(64),"
                + " version BIGINT NOT NULL)"));
    execute(index, byPhone.createTable(Database.MARIADB));
    outbox = Outbox.builder(usersTables).build();
    inbox =
        Inbox.builder(indexTables, "user-index")
            .handler(byPhone.messageType(), byPhone.applier(Database.MARIADB))
            .build();
  }

  @AfterEach
  void tearDown() throws Exception {
    if (broker != null) {
      broker.close();
    }
    ConnectionFactory f = new ConnectionFactory();
    f.setUri(services.amqpUri());
    try (com.rabbitmq.client.Connection c = f.newConnection();
        Channel ch = c.createChannel()) {
      ch.queueDelete(queue);
      ch.exchangeDelete(exchange);
    }
    users.close();
    index.close();
    services.close();
  }

  @Test
  void naiveTwoWritesDisagreeAfterACrashBetweenThem() throws Exception {
    naiveRegister("ann", "+100", Crash.NONE);
    assertThatThrownBy(() -> naiveRegister("bob", "+200", Crash.BETWEEN_THE_WRITES))
        .isInstanceOf(Crashed.class);
    assertThatThrownBy(() -> naiveChangePhone("ann", "+101", Crash.BETWEEN_THE_WRITES))
        .isInstanceOf(Crashed.class);

    assertThat(disagreements())
        .as("naive: the table and the index disagree, and nothing will repair them")
        .containsExactlyInAnyOrder(
            "ann has +101, the index finds [] for it",
            "bob has +200, the index finds [] for it",
            "the index finds ann for +100, ann has +101");
  }

  @Test
  void theOutboxKeepsTableAndIndexInAgreementWhateverCrashes() throws Exception {
    register("ann", "+100", Crash.NONE);
    assertThatThrownBy(() -> register("bob", "+200", Crash.BEFORE_COMMIT))
        .isInstanceOf(Crashed.class);
    register("cid", "+300", Crash.NONE);
    changePhone("ann", "+101");
    changePhone("cid", null);
    assertThat(userPhones()).as("bob's transaction rolled back whole").doesNotContainKey("bob");

    // The process "crashed" after these commits, before its relay ran: nothing is published yet.
    assertThat(disagreements()).as("before the relay ran, the index lags").isNotEmpty();

    // Restarted: the relay publishes what the outbox holds; the index's inbox applies it.
    broker =
        RabbitBroker.builder(services.amqpUri())
            .exchange(exchange)
            .confirmTimeout(Duration.ofSeconds(5))
            .build();
    broker.subscribe(queue, List.of(byPhone.destination()), inbox::receive);
    try (Relay relay = Relay.builder(outbox, broker).build()) {
      assertThat(relay.runOnce().published()).isEqualTo(4);
      await().atMost(Duration.ofSeconds(30)).until(() -> disagreements().isEmpty());
    }
    try (Connection c = index.primary().getConnection()) {
      assertThat(byPhone.lookup(c, "+101")).containsExactly("ann");
      assertThat(byPhone.lookup(c, "+100")).isEmpty();
      assertThat(byPhone.lookup(c, "+200")).isEmpty();
      assertThat(byPhone.lookup(c, "+300")).isEmpty();
      assertThat(byPhone.entry(c, "cid")).contains(new GlobalIndex.Entry("cid", null, 2));
    }
  }

  // ---- the users' service, naive: two databases, two writes ----

  private void naiveRegister(String id, String phone, Crash crash) throws SQLException {
    update(users, "INSERT INTO app_user VALUES (?, ?, 1)", id, phone);
    crashIf(crash == Crash.BETWEEN_THE_WRITES);
    update(
        index,
        "INSERT INTO user_by_phone (entity_id, index_value, entity_version) VALUES (?, ?, 1)",
        id,
        phone);
  }

  private void naiveChangePhone(String id, String phone, Crash crash) throws SQLException {
    update(users, "UPDATE app_user SET phone = ?, version = version + 1 WHERE id = ?", phone, id);
    crashIf(crash == Crash.BETWEEN_THE_WRITES);
    update(index, "UPDATE user_by_phone SET index_value = ? WHERE entity_id = ?", phone, id);
  }

  // ---- the users' service with the outbox: one local transaction ----

  private void register(String id, String phone, Crash crash) throws SQLException {
    try (Connection c = users.primary().getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement s = c.prepareStatement("INSERT INTO app_user VALUES (?, ?, 1)")) {
        s.setString(1, id);
        s.setString(2, phone);
        s.executeUpdate();
      }
      outbox.append(c, byPhone.change(id, 1, phone));
      if (crash == Crash.BEFORE_COMMIT) {
        c.rollback(); // what the database does with the transaction of a process that died
        throw new Crashed();
      }
      c.commit();
    }
  }

  private void changePhone(String id, String phone) throws SQLException {
    try (Connection c = users.primary().getConnection()) {
      c.setAutoCommit(false);
      long version;
      try (PreparedStatement s =
          c.prepareStatement(
              "UPDATE app_user SET phone = ?, version = version + 1 WHERE id = ?"
                  + " RETURNING version")) {
        s.setString(1, phone);
        s.setString(2, id);
        try (ResultSet rs = s.executeQuery()) {
          rs.next();
          version = rs.getLong(1);
        }
      }
      outbox.append(c, byPhone.change(id, version, phone));
      c.commit();
    }
  }

  // ---- checks ----

  /** Every way the table and the index disagree, in words. */
  private List<String> disagreements() throws SQLException {
    List<String> found = new ArrayList<>();
    java.util.Map<String, String> phones = userPhones();
    try (Connection c = index.primary().getConnection()) {
      for (var user : phones.entrySet()) {
        if (user.getValue() != null) {
          List<String> ids = byPhone.lookup(c, user.getValue());
          if (!ids.contains(user.getKey())) {
            found.add(
                user.getKey() + " has " + user.getValue() + ", the index finds " + ids + " for it");
          }
        }
      }
      try (Statement s = c.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "SELECT entity_id, index_value FROM user_by_phone"
                      + " WHERE index_value IS NOT NULL")) {
        while (rs.next()) {
          String id = rs.getString(1);
          String value = rs.getString(2);
          if (!value.equals(phones.get(id))) {
            found.add(
                "the index finds " + id + " for " + value + ", " + id + " has " + phones.get(id));
          }
        }
      }
    }
    return found;
  }

  private java.util.Map<String, String> userPhones() throws SQLException {
    java.util.Map<String, String> phones = new java.util.TreeMap<>();
    try (Connection c = users.primary().getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT id, phone FROM app_user")) {
      while (rs.next()) {
        phones.put(rs.getString(1), rs.getString(2));
      }
    }
    return phones;
  }

  private static void crashIf(boolean crash) {
    if (crash) {
      throw new Crashed();
    }
  }

  private static void update(DatabasePair db, String sql, Object... args) throws SQLException {
    try (Connection c = db.primary().getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        s.setObject(i + 1, args[i]);
      }
      s.executeUpdate();
    }
  }

  private static void execute(DatabasePair db, List<String> statements) throws SQLException {
    try (Connection c = db.primary().getConnection();
        Statement s = c.createStatement()) {
      for (String sql : statements) {
        s.execute(sql);
      }
    }
  }
}
