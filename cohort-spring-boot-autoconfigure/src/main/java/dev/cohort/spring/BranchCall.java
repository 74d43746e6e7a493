package dev.cohort.spring;

import dev.cohort.protocol.Operation;
import java.sql.Connection;

/**
 * One verified coordinator call, as a {@link BranchHandler} sees it.
 *
 * @param gid the global transaction id
 * @param branchId the branch id
 * @param op the operation being served
 * @param connection the connection of the Spring transaction that also holds the barrier row; code
 *     using {@code JdbcTemplate} or JPA on the same {@code DataSource} is already on it. Do not
 *     commit, roll back or close it.
 */
public record BranchCall(String gid, String branchId, Operation op, Connection connection) {}
