package dev.cohort.participant.internal;

import dev.cohort.participant.BarrierResult;
import dev.cohort.protocol.Operation;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;

/**
 * The barrier's decision, made with inserts only, inside the caller's local transaction.
 *
 * <p>Every operation inserts its own row; a rollback operation first inserts its origin's row
 * (reason = the rollback). The unique key then answers every question: my row was there →
 * duplicate; my origin's row was not → empty rollback; an undoable op's row was there with a
 * rollback reason → refused. No read precedes an insert, so concurrent calls for one key queue on
 * the key's record lock instead of holding gap locks that a later insert needs.
 */
public final class BarrierCore {
  private final BarrierSql sql;
  private final Clock clock;

  public BarrierCore(BarrierSql sql, Clock clock) {
    this.sql = sql;
    this.clock = clock;
  }

  /**
   * Records the call on {@code connection} (which must be in a transaction) and says whether the
   * business code should run ({@link BarrierResult#APPLIED}) or what to answer instead.
   */
  public BarrierResult enter(Connection connection, String gid, String branchId, Operation op)
      throws SQLException {
    long now = clock.millis();
    boolean originInserted = false;
    if (op.isRollback()) {
      originInserted = insert(connection, gid, branchId, op.origin().orElseThrow(), op, now);
    }
    if (!insert(connection, gid, branchId, op, op, now)) {
      if (op.isUndoable() && rolledBackBefore(connection, gid, branchId, op)) {
        return BarrierResult.REFUSED_AFTER_CANCEL;
      }
      return BarrierResult.DUPLICATE_SKIPPED;
    }
    return originInserted ? BarrierResult.EMPTY_ROLLBACK : BarrierResult.APPLIED;
  }

  private boolean insert(
      Connection connection, String gid, String branchId, Operation op, Operation reason, long now)
      throws SQLException {
    try (PreparedStatement s = connection.prepareStatement(sql.insertIgnore())) {
      s.setString(1, gid);
      s.setString(2, branchId);
      s.setString(3, op.code());
      s.setString(4, reason.code());
      s.setLong(5, now);
      return s.executeUpdate() > 0;
    }
  }

  private boolean rolledBackBefore(Connection connection, String gid, String branchId, Operation op)
      throws SQLException {
    try (PreparedStatement s = connection.prepareStatement(sql.selectReason())) {
      s.setString(1, gid);
      s.setString(2, branchId);
      s.setString(3, op.code());
      try (ResultSet rs = s.executeQuery()) {
        if (!rs.next()) {
          // Unreachable unless the row was purged between the insert and this read.
          throw new SQLException(
              "barrier row (" + gid + ", " + branchId + ", " + op.code() + ") vanished", "40001");
        }
        return Operation.fromCode(rs.getString(1)).isRollback();
      }
    }
  }
}
