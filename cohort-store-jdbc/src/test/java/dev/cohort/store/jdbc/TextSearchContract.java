package dev.cohort.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.cohort.api.BranchId;
import dev.cohort.api.BranchStatus;
import dev.cohort.api.Gid;
import dev.cohort.api.GlobalStatus;
import dev.cohort.api.Mode;
import dev.cohort.coordinator.TransactionQuery;
import dev.cohort.coordinator.spi.BranchRecord;
import dev.cohort.coordinator.spi.GlobalRecord;
import dev.cohort.coordinator.spi.LogUnit;
import dev.cohort.coordinator.spi.WriteResult;
import dev.cohort.jdbc.Database;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Search finds what the fields promise, and text that is not there finds nothing; the same API on
 * every database, through the database's text index (trigram, FTS5, FULLTEXT) when the store keeps
 * one ({@code textIndexes(true)}) and by scanning rows when it does not — every test runs both
 * ways.
 */
@ParameterizedClass(name = "text indexes: {0}")
@ValueSource(booleans = {true, false})
abstract class TextSearchContract {
  private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

  @Parameter boolean textIndexes;

  JdbcTransactionStore log;

  /** A log with no transactions in it, built with {@code textIndexes(indexed)}. */
  abstract JdbcTransactionStore freshLog(boolean indexed);

  /** The same log opened again by a store built with {@code textIndexes(indexed)}. */
  abstract JdbcTransactionStore reopenLog(boolean indexed);

  /** How many of the text indexes' objects (indexes, FTS tables, triggers) the log holds. */
  abstract long textIndexObjects() throws Exception;

  abstract Database database();

  @BeforeEach
  void open() {
    log = freshLog(textIndexes);
    log.open();
    add("order-7f3a9c21-pay", "{\"urls\":\"http://payments.internal:8082/charge\"}", null);
    add("order-55d0e4b8-ship", "{\"urls\":\"http://stock.internal:8081/reserve\"}", null);
    add("order-0c1d2e3f-gift", "{\"note\":\"100% off_today!\"}", "gateway Timeout_100% after 3 s");
    fail("order-0c1d2e3f-gift", "Connection REFUSED by warehouse-eu");
  }

  @AfterEach
  void close() {
    log.close();
  }

  @Test
  void findsAGidByAFragment() {
    // MariaDB's FULLTEXT finds words and their beginnings; the others any fragment.
    String fragment = database() == Database.MARIADB ? "7F3A9C" : "3A9C2";
    assertThat(gids(TransactionQuery.all(10).withText(fragment)))
        .containsExactly("order-7f3a9c21-pay");
  }

  @Test
  void findsAParticipantByAUrlFragment() {
    assertThat(gids(TransactionQuery.all(10).withParticipant("stock.internal")))
        .containsExactly("order-55d0e4b8-ship");
    assertThat(gids(TransactionQuery.all(10).withParticipant("payments"))).hasSize(1);
    assertThat(gids(TransactionQuery.all(10).withParticipant("nowhere.internal"))).isEmpty();
  }

  @Test
  void findsAnErrorWordInTheReasonOrABranchsLastError() {
    assertThat(gids(TransactionQuery.all(10).withError("warehouse")))
        .containsExactly("order-0c1d2e3f-gift");
    assertThat(gids(TransactionQuery.all(10).withError("refused by")))
        .containsExactly("order-0c1d2e3f-gift");
    // "the" is one of MariaDB's stopwords, which its FULLTEXT index does not hold.
    assertThat(gids(TransactionQuery.all(10).withError("by the warehouse"))).isEmpty();
    assertThat(gids(TransactionQuery.all(10).withError("by warehouse-eu")))
        .containsExactly("order-0c1d2e3f-gift");
    assertThat(gids(TransactionQuery.all(10).withError("timeout_100%")))
        .containsExactly("order-0c1d2e3f-gift");
    assertThat(gids(TransactionQuery.all(10).withError("timeout_1000"))).isEmpty();
    assertThat(gids(TransactionQuery.all(10).withError("accepted"))).isEmpty();
  }

  @Test
  void shortTextAndSpecialCharactersAreMatchedLiterally() {
    assertThat(gids(TransactionQuery.all(10).withText("-p"))).containsExactly("order-7f3a9c21-pay");
    assertThat(gids(TransactionQuery.all(10).withText("100% off_"))).hasSize(1);
    assertThat(gids(TransactionQuery.all(10).withText("100%% off"))).isEmpty();
    assertThat(gids(TransactionQuery.all(10).withText("\"urls\":\"http://stock"))).hasSize(1);
    assertThat(gids(TransactionQuery.all(10).withText("' OR 1=1 --"))).isEmpty();
    assertThat(gids(TransactionQuery.all(10).withText("*"))).isEmpty();
    // The API passes any text on, control characters included: FTS5 refuses a NUL, so such text
    // must still be answered, never an error (SQLite's LIKE stops a pattern at a NUL).
    assertThatCode(() -> gids(TransactionQuery.all(10).withText("pay\u0000\u0007x")))
        .doesNotThrowAnyException();
  }

  @Test
  void combinesTextFieldsWithTheOtherFilters() {
    assertThat(gids(TransactionQuery.all(10).withText("order").withStatuses(GlobalStatus.FAILED)))
        .containsExactly("order-0c1d2e3f-gift");
    assertThat(gids(TransactionQuery.all(2).withText("order"))).hasSize(2);
  }

  @Test
  void textOnMuchOfTheLogGivesTheFirstMatchesInGidOrderPageByPage() {
    // Frequent text fills a page from the first rows (PostgreSQL, SQLite); the pages must be the
    // ones the index gives: the first matches in gid order, whatever way answered.
    for (int n = 0; n < 30; n++) {
      String host = n % 3 == 0 ? "other.internal" : "mail.internal";
      add(String.format("freq-%02d", n), "{\"urls\":\"http://" + host + "/send\"}", null);
    }
    TransactionQuery mail = TransactionQuery.all(4).withParticipant("MAIL.internal");
    assertThat(gids(mail)).containsExactly("freq-01", "freq-02", "freq-04", "freq-05");
    assertThat(gids(mail.after(Gid.of("freq-05"))))
        .containsExactly("freq-07", "freq-08", "freq-10", "freq-11");
    assertThat(gids(TransactionQuery.all(4).withParticipant("mail.internal").withText("freq-2")))
        .containsExactly("freq-20", "freq-22", "freq-23", "freq-25");
    assertThat(gids(TransactionQuery.all(50).withParticipant("mail.internal"))).hasSize(20);
    assertThat(gids(TransactionQuery.all(4).withText("order")))
        .as("fewer matches than a page among the first rows: the index answers")
        .containsExactly("order-0c1d2e3f-gift", "order-55d0e4b8-ship", "order-7f3a9c21-pay");
  }

  @Test
  void theTextIndexesAreKeptOnlyWhenAskedForAndNeverDroppedByAStoreWithout() throws Exception {
    if (!textIndexes) {
      assertThat(textIndexObjects()).as("a store without textIndexes creates none").isZero();
      return;
    }
    long kept = textIndexObjects();
    assertThat(kept).isPositive();
    log.close();
    log = reopenLog(false);
    log.open();
    assertThat(textIndexObjects()).isEqualTo(kept);
    // and the store without the option searches by scanning, finding the same
    assertThat(gids(TransactionQuery.all(10).withParticipant("stock.internal")))
        .containsExactly("order-55d0e4b8-ship");
  }

  private List<String> gids(TransactionQuery q) {
    return log.search(q).stream().map(g -> g.gid().value()).toList();
  }

  private void add(String gid, String payload, String lastError) {
    GlobalRecord g = GlobalRecord.planned(Gid.of(gid), Mode.SAGA, false, T, "n", T, T);
    BranchRecord b =
        new BranchRecord(
            Gid.of(gid),
            BranchId.of("s1"),
            0,
            "http",
            payload,
            false,
            BranchStatus.REGISTERED,
            lastError == null ? 0 : 1,
            lastError);
    assertThat(log.write(new LogUnit(new LogUnit.Insert(g, List.of(b)), List.of())).join())
        .isEqualTo(WriteResult.APPLIED);
  }

  private void fail(String gid, String reason) {
    GlobalRecord g = log.load(Gid.of(gid)).orElseThrow().global();
    LogUnit failed =
        new LogUnit(
            new LogUnit.Cas(
                g.status(), g.withStatus(GlobalStatus.FAILED, T).withPhase(T, g.status(), reason)),
            List.of());
    assertThat(log.write(failed).join()).isEqualTo(WriteResult.APPLIED);
  }
}
