package dev.cohort.examples.shop.common;

import dev.cohort.participant.HeldBranch;
import dev.cohort.participant.HeldBranches;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The TCC reservations a participant holds, in its own {@code reservation} table: written by the
 * try in the same transaction as the frozen amount, ended by the confirm or cancel. What the
 * held-branch resolver reads to find reservations held too long.
 */
public final class Reservations implements HeldBranches {
  public static final String DDL =
      "CREATE TABLE IF NOT EXISTS reservation (gid VARCHAR(128) NOT NULL,"
          + " branch_id VARCHAR(128) NOT NULL, payload TEXT NOT NULL, status VARCHAR(16) NOT NULL,"
          + " held_since BIGINT NOT NULL, PRIMARY KEY (gid, branch_id))";

  private final JdbcTemplate jdbc;
  private final Clock clock;
  private final StatusColumn<ReservationStatus> status;

  public Reservations(JdbcTemplate jdbc, Clock clock, TransitionLog log) {
    this.jdbc = jdbc;
    this.clock = clock;
    this.status =
        new StatusColumn<>(
            jdbc, log, "reservation", "gid = ? AND branch_id = ?", ReservationStatus.class);
  }

  /** In the try's transaction. */
  public void hold(String gid, String branchId, String payload) {
    jdbc.update(
        "INSERT INTO reservation (gid, branch_id, payload, status, held_since) VALUES (?, ?, ?, ?,"
            + " ?)",
        gid,
        branchId,
        payload,
        status.initial(ReservationStatus.HELD),
        clock.millis());
  }

  /** In the confirm's transaction. */
  public void confirm(String gid, String branchId) {
    status.move(ReservationStatus.HELD, ReservationStatus.CONFIRMED, gid, branchId);
  }

  /** In the cancel's transaction. */
  public void cancel(String gid, String branchId) {
    status.move(ReservationStatus.HELD, ReservationStatus.CANCELLED, gid, branchId);
  }

  public long held() {
    Long n =
        jdbc.queryForObject(
            "SELECT COUNT(*) FROM reservation WHERE status = ?",
            Long.class,
            ReservationStatus.HELD.name());
    return n == null ? 0 : n;
  }

  @Override
  public List<HeldBranch> heldBefore(Instant cutoff, int limit) {
    return jdbc
        .query(
            "SELECT gid, branch_id, payload, held_since FROM reservation WHERE status = ? AND"
                + " held_since < ? ORDER BY held_since",
            (rs, i) ->
                new HeldBranch(
                    rs.getString(1),
                    rs.getString(2),
                    rs.getString(3),
                    Instant.ofEpochMilli(rs.getLong(4))),
            ReservationStatus.HELD.name(),
            cutoff.toEpochMilli())
        .stream()
        .limit(limit)
        .toList();
  }
}
