package dev.cohort.replica.internal;

import static dev.cohort.replica.internal.SqlClassifier.Kind.LOCKING_READ;
import static dev.cohort.replica.internal.SqlClassifier.Kind.READ;
import static dev.cohort.replica.internal.SqlClassifier.Kind.WRITE;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SqlClassifierTest {
  @Test
  void plainReadsMayGoToAReplica() {
    assertThat(SqlClassifier.classify("select * from t")).isEqualTo(READ);
    assertThat(SqlClassifier.classify("  /* hint */ -- c\n (SELECT 1)")).isEqualTo(READ);
    assertThat(SqlClassifier.classify("WITH x AS (SELECT 1) SELECT * FROM x")).isEqualTo(READ);
    assertThat(SqlClassifier.classify("SELECT 'for update' FROM t")).isEqualTo(READ);
    assertThat(SqlClassifier.classify("SHOW server_version")).isEqualTo(READ);
  }

  @Test
  void lockingReadsAndSideEffectsGoToThePrimary() {
    assertThat(SqlClassifier.classify("SELECT * FROM t FOR UPDATE")).isEqualTo(LOCKING_READ);
    assertThat(SqlClassifier.classify("select * from t for share")).isEqualTo(LOCKING_READ);
    assertThat(SqlClassifier.classify("SELECT * FROM t LOCK IN SHARE MODE"))
        .isEqualTo(LOCKING_READ);
    assertThat(SqlClassifier.classify("SELECT nextval('s')")).isEqualTo(WRITE);
    assertThat(SqlClassifier.classify("SELECT GET_LOCK('x', 1)")).isEqualTo(WRITE);
    assertThat(SqlClassifier.classify("SELECT * INTO copy FROM t")).isEqualTo(WRITE);
    assertThat(SqlClassifier.classify("WITH d AS (DELETE FROM t RETURNING *) SELECT * FROM d"))
        .isEqualTo(WRITE);
    assertThat(SqlClassifier.classify("EXPLAIN ANALYZE DELETE FROM t")).isEqualTo(WRITE);
  }

  @Test
  void everythingElseIsAWrite() {
    for (String sql :
        new String[] {
          "INSERT INTO t VALUES (1)",
          "update t set a=1",
          "SET search_path = x",
          "BEGIN",
          "CALL p()",
          ""
        }) {
      assertThat(SqlClassifier.classify(sql)).as(sql).isEqualTo(WRITE);
    }
  }
}
