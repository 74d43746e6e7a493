package dev.cohort.spring;

import dev.cohort.participant.HeldBranches;
import java.util.Objects;

/**
 * The branches one {@link TccEndpoint} holds (tried, neither confirmed nor cancelled yet), usually
 * read from the service's reservation table. Declared as a bean, it turns on the starter's resolver
 * for that endpoint: every {@code cohort.participant.resolver.period} it asks the coordinator how
 * each branch held longer than {@code cohort.participant.resolver.hold-threshold} ended, and
 * applies a decided commit or rollback with the endpoint's own confirm or cancel handler, through
 * the barrier, so the coordinator's own late call is then a skipped duplicate.
 *
 * <pre>{@code
 * @Bean
 * HeldBranchesOf heldPayments(JdbcTemplate jdbc) {
 *   return new HeldBranchesOf("account", (cutoff, limit) -> jdbc.query(
 *       "SELECT gid, branch_id, payload, held_since FROM reservation"
 *           + " WHERE held_since < ? ORDER BY held_since LIMIT ?",
 *       (rs, i) -> new HeldBranch(rs.getString(1), rs.getString(2), rs.getString(3),
 *           rs.getTimestamp(4).toInstant()),
 *       Timestamp.from(cutoff), limit));
 * }
 * }</pre>
 *
 * @param endpoint the name of the {@link TccEndpoint} bean's endpoint the branches belong to
 * @param held where they are read from
 */
public record HeldBranchesOf(String endpoint, HeldBranches held) {
  public HeldBranchesOf {
    CohortEndpoint.checkName(endpoint);
    Objects.requireNonNull(held, "held: how to list the branches this endpoint holds");
  }
}
