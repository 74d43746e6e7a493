package dev.cohort.participant;

import dev.cohort.protocol.Operation;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;

/**
 * One verified coordinator call as {@link BranchWork} sees it.
 *
 * @param connection the barrier's connection, inside the local transaction that also holds the
 *     barrier row; do the business change on it
 * @param gid the global transaction id ({@code Cohort-Gid})
 * @param branchId the branch id ({@code Cohort-Branch})
 * @param op the operation ({@code Cohort-Op})
 * @param body the branch payload's JSON text, as registered with the coordinator
 */
public record BranchRequest(
    Connection connection, String gid, String branchId, Operation op, String body) {
  /** The body as UTF-8 bytes, e.g. for a JSON parser. */
  public byte[] bodyBytes() {
    return body.getBytes(StandardCharsets.UTF_8);
  }
}
