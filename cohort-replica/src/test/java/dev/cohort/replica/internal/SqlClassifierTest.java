package dev.cohort.replica.internal;

import static dev.cohort.replica.internal.SqlClassifier.Kind.LOCKING_READ;
import static dev.cohort.replica.internal.SqlClassifier.Kind.READ;
import static dev.cohort.replica.internal.SqlClassifier.Kind.WRITE;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SqlClassifierTest {
  private static final SqlClassifier PG = SqlClassifier.POSTGRESQL;
  private static final SqlClassifier MDB = SqlClassifier.MARIADB;
  private static final List<SqlClassifier> BOTH = List.of(PG, MDB);

  @Test
  void plainReadsMayGoToAReplica() {
    for (SqlClassifier c : BOTH) {
      assertThat(c.classify("select * from t")).isEqualTo(READ);
      assertThat(c.classify("  /* hint */ -- c\n (SELECT 1)")).isEqualTo(READ);
      assertThat(c.classify("WITH x AS (SELECT 1) SELECT * FROM x")).isEqualTo(READ);
      assertThat(c.classify("SELECT 'for update' FROM t")).isEqualTo(READ);
      assertThat(c.classify("SHOW server_version")).isEqualTo(READ);
      assertThat(c.classify("SELECT a FROM t WHERE b = ?;")).isEqualTo(READ);
    }
  }

  @Test
  void lockingReadsAndSideEffectsGoToThePrimary() {
    for (SqlClassifier c : BOTH) {
      assertThat(c.classify("SELECT * FROM t FOR UPDATE")).isEqualTo(LOCKING_READ);
      assertThat(c.classify("select * from t for share")).isEqualTo(LOCKING_READ);
      assertThat(c.classify("SELECT * FROM t FOR NO KEY UPDATE")).isEqualTo(LOCKING_READ);
      assertThat(c.classify("SELECT * FROM t FOR KEY SHARE")).isEqualTo(LOCKING_READ);
      assertThat(c.classify("SELECT * FROM t FOR /* really */ UPDATE")).isEqualTo(LOCKING_READ);
      assertThat(c.classify("SELECT * FROM t LOCK IN SHARE MODE")).isEqualTo(LOCKING_READ);
      assertThat(c.classify("SELECT nextval('s')")).isEqualTo(WRITE);
      assertThat(c.classify("SELECT setval('s', 5)")).isEqualTo(WRITE);
      assertThat(c.classify("SELECT pg_catalog.nextval('s')")).isEqualTo(WRITE);
      assertThat(c.classify("SELECT pg_advisory_lock(1)")).isEqualTo(WRITE);
      assertThat(c.classify("SELECT pg_try_advisory_xact_lock(1)")).isEqualTo(WRITE);
      assertThat(c.classify("SELECT GET_LOCK('x', 1)")).isEqualTo(WRITE);
      assertThat(c.classify("SELECT NEXT VALUE FOR s")).isEqualTo(WRITE);
      assertThat(c.classify("SELECT * INTO copy FROM t")).isEqualTo(WRITE);
      assertThat(c.classify("WITH d AS (DELETE FROM t RETURNING *) SELECT * FROM d"))
          .isEqualTo(WRITE);
      assertThat(c.classify("EXPLAIN ANALYZE DELETE FROM t")).isEqualTo(WRITE);
      assertThat(c.classify("SELECT 1; DELETE FROM t")).isEqualTo(WRITE);
    }
  }

  @Test
  void wordsInLiteralsAndCommentsDoNotCount() {
    for (SqlClassifier c : BOTH) {
      assertThat(c.classify("SELECT 'nextval(s)', 'for update', 'into' FROM t")).isEqualTo(READ);
      assertThat(c.classify("SELECT 1 /* nextval('s') FOR UPDATE */")).isEqualTo(READ);
      assertThat(c.classify("SELECT 1 -- INTO x\n FROM t")).isEqualTo(READ);
      assertThat(c.classify("SELECT 'it''s nextval' FROM t")).isEqualTo(READ);
      assertThat(c.classify("SELECT * FROM t WHERE s = 'FOR' AND u = 'UPDATE'")).isEqualTo(READ);
      assertThat(c.classify("SELECT 'FOR' UPDATE")).isEqualTo(READ);
    }
  }

  @Test
  void mariaDbBackslashEscapesCannotHideASideEffect() {
    String sql = "SELECT 'a\\'', nextval('s')";
    assertThat(MDB.classify(sql)).as("MariaDB: \\' escapes, nextval is code").isEqualTo(WRITE);
    // In PostgreSQL's standard strings a backslash is an ordinary character: 'a\' ends there,
    // and nextval sits inside the next literal.
    assertThat(PG.classify(sql)).isEqualTo(READ);
    assertThat(MDB.classify("SELECT \"x\\\" nextval\", 1")).isEqualTo(READ);
    assertThat(MDB.classify("SELECT \"x\\\"\", nextval(s)")).isEqualTo(WRITE);
  }

  @Test
  void postgresEscapeStringsHonourBackslashes() {
    assertThat(PG.classify("SELECT E'a\\'', nextval('s')")).isEqualTo(WRITE);
    assertThat(PG.classify("SELECT e'a\\' nextval(1)'")).isEqualTo(READ);
    assertThat(PG.classify("SELECT E'it''s', nextval('s')")).isEqualTo(WRITE);
  }

  @Test
  void postgresDollarQuotes() {
    assertThat(PG.classify("SELECT $$ nextval('s') $$")).isEqualTo(READ);
    assertThat(PG.classify("SELECT $fn$ it's $$ FOR UPDATE $fn$ FROM t")).isEqualTo(READ);
    assertThat(PG.classify("SELECT $fn$ x $fn$, nextval('s')")).isEqualTo(WRITE);
    assertThat(PG.classify("SELECT * FROM t WHERE a = $1 FOR UPDATE")).isEqualTo(LOCKING_READ);
    assertThat(PG.classify("SELECT a$b FROM t")).isEqualTo(READ);
    // MariaDB has no dollar quotes: the words between are code.
    assertThat(MDB.classify("SELECT $$ nextval('s') $$")).isEqualTo(WRITE);
  }

  @Test
  void quotedIdentifiers() {
    assertThat(PG.classify("SELECT \"into\", \"for\" FROM \"update\"")).isEqualTo(READ);
    assertThat(PG.classify("SELECT \"a\"\"b into\" FROM t")).isEqualTo(READ);
    assertThat(PG.classify("SELECT \"nextval\"('s')"))
        .as("a quoted call is a call")
        .isEqualTo(WRITE);
    assertThat(MDB.classify("SELECT `into`, `a``b for update` FROM `t`")).isEqualTo(READ);
    assertThat(MDB.classify("SELECT `nextval`(s)")).isEqualTo(WRITE);
    // PostgreSQL has no backtick identifiers: the word between is code.
    assertThat(PG.classify("SELECT `x into y`")).isEqualTo(WRITE);
  }

  @Test
  void commentStylesFollowTheDatabase() {
    assertThat(MDB.classify("SELECT 1 # nextval('s')\n FROM t")).isEqualTo(READ);
    assertThat(PG.classify("SELECT 1 # 2 INTO x"))
        .as("# is an operator in PostgreSQL")
        .isEqualTo(WRITE);
    assertThat(PG.classify("SELECT 1 /* outer /* inner */ nextval('s') */ FROM t")).isEqualTo(READ);
    assertThat(MDB.classify("SELECT 1 /* outer /* inner */ nextval(s) */")).isEqualTo(WRITE);
    assertThat(MDB.classify("SELECT 1--1 INTO @x")).as("1--1 is arithmetic").isEqualTo(WRITE);
    assertThat(MDB.classify("SELECT 1 -- INTO @x")).isEqualTo(READ);
    assertThat(MDB.classify("SELECT /*! GET_LOCK('x', 1) */ 1"))
        .as("executed comment")
        .isEqualTo(WRITE);
    assertThat(MDB.classify("SELECT /*M!100000 nextval(s) */ 1")).isEqualTo(WRITE);
    assertThat(MDB.classify("SELECT /*!40001 SQL_NO_CACHE */ * FROM t")).isEqualTo(READ);
  }

  @Test
  void everythingElseIsAWrite() {
    for (SqlClassifier c : BOTH) {
      for (String sql :
          new String[] {
            "INSERT INTO t VALUES (1)",
            "update t set a=1",
            "SET search_path = x",
            "BEGIN",
            "CALL p()",
            "",
            "'SELECT 1'",
            "/* unterminated SELECT 1"
          }) {
        assertThat(c.classify(sql)).as(sql).isEqualTo(WRITE);
      }
      assertThat(c.classify(null)).isEqualTo(WRITE);
    }
  }
}
