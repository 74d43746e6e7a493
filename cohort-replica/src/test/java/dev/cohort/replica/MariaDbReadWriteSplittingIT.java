package dev.cohort.replica;

import dev.cohort.testsupport.DatabasePair;
import dev.cohort.testsupport.TestServices;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

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
