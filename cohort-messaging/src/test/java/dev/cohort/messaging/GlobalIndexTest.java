package dev.cohort.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cohort.jdbc.Database;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The index's apply rule through a real inbox, on SQLite. */
class GlobalIndexTest {
  @TempDir Path dir;
  private final GlobalIndex byPhone = GlobalIndex.of("user_by_phone");
  private MessagingTables tables;
  private Inbox inbox;

  @BeforeEach
  void setUp() throws SQLException {
    tables = SqliteTables.in(dir);
    try (Connection c = tables.dataSource().getConnection();
        Statement s = c.createStatement()) {
      for (String ddl : byPhone.createTable(Database.SQLITE)) {
        s.execute(ddl);
      }
    }
    inbox =
        Inbox.builder(tables, "user-index")
            .handler(byPhone.messageType(), byPhone.applier(Database.SQLITE))
            .build();
  }

  @Test
  void aLateOlderChangeDoesNotOverwriteANewerOne() throws Exception {
    inbox.receive(byPhone.change("u1", 2, "+2"));
    inbox.receive(byPhone.change("u1", 1, "+1"));
    try (Connection c = tables.dataSource().getConnection()) {
      assertThat(byPhone.entry(c, "u1")).contains(new GlobalIndex.Entry("u1", "+2", 2));
      assertThat(byPhone.lookup(c, "+1")).isEmpty();
      assertThat(byPhone.lookup(c, "+2")).containsExactly("u1");
    }
  }

  @Test
  void aRemovalKeepsItsVersionSoAnOlderValueCannotComeBack() throws Exception {
    inbox.receive(byPhone.change("u1", 1, "+1"));
    inbox.receive(byPhone.change("u1", 3, null));
    inbox.receive(byPhone.change("u1", 2, "+2"));
    try (Connection c = tables.dataSource().getConnection()) {
      assertThat(byPhone.entry(c, "u1")).contains(new GlobalIndex.Entry("u1", null, 3));
      assertThat(byPhone.lookup(c, "+1")).isEmpty();
      assertThat(byPhone.lookup(c, "+2")).isEmpty();
    }
  }

  @Test
  void aDuplicateDeliveryIsSkippedByTheInbox() throws Exception {
    Message m = byPhone.change("u1", 1, "+1");
    assertThat(inbox.receive(m)).isEqualTo(InboxResult.APPLIED);
    assertThat(inbox.receive(m)).isEqualTo(InboxResult.DUPLICATE_SKIPPED);
  }

  @Test
  void aMalformedChangeIsParkedNamingTheIndex() throws Exception {
    Message bad = Message.of("x1", byPhone.destination(), "u1", byPhone.messageType(), "v2 +44");
    assertThat(inbox.receive(bad)).isEqualTo(InboxResult.PARKED);
    assertThat(inbox.parked(10))
        .singleElement()
        .satisfies(e -> assertThat(e.reason()).contains("user_by_phone").contains("v2 +44"));
  }

  @Test
  void badInputIsRefusedNamingTheValue() {
    assertThatThrownBy(() -> GlobalIndex.of("user by phone"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'user by phone'");
    assertThatThrownBy(() -> byPhone.change("u1", 0, "+1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("entity version 0 of 'u1'");
    assertThatThrownBy(() -> byPhone.change("", 1, "+1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("entity id ''");
  }
}
