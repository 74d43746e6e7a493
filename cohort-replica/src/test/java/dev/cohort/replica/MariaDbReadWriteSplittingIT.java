package dev.cohort.replica;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cohort.testsupport.DatabasePair;
import dev.cohort.testsupport.TestServices;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

@SuppressWarnings("try")
class MariaDbReadWriteSplittingIT extends ReadWriteSplittingContract {
  @Override
  DatabasePair openPair(TestServices services) {
    return services.mariadb().isolated("rw_split_mdb");
  }

  @Override
  void holdReplication() throws SQLException {
    replica("STOP SLAVE SQL_THREAD");
  }

  @Override
  void releaseReplication() throws SQLException {
    replica("START SLAVE SQL_THREAD");
  }

  @Test
  void criticalWriteSurfacesSemiSyncAndKeepsTheTokenWait() throws Exception {
    long id = nextId();
    seed("INSERT INTO profile VALUES (?, 'Old')", id);
    replicated();
    SyncGuarantee guarantee;
    try (CriticalWrite critical = routing.criticalWrite()) {
      cohort.updateProfile(id, "New");
      assertThat(cohort.profileName(id)).isEqualTo("New");
      guarantee = critical.guarantee();
    }
    assertThat(guarantee.applyGuaranteed()).isFalse();
    assertThat(guarantee.detail()).contains("Rpl_semi_sync_master_status=").contains("not apply");
  }

  @Override
  String kindTag() {
    return "mdb";
  }

  private void replica(String sql) throws SQLException {
    try (Connection c = db.replica().getConnection();
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }
}
