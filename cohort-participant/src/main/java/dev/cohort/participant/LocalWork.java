package dev.cohort.participant;

import java.sql.Connection;

/**
 * The business work of a prepared branch, on the connection of its local transaction (auto-commit
 * managed by {@link PreparedBranches}; never commit or roll back here). Throw {@link
 * dev.cohort.api.ParticipantRefusedException} to vote no.
 */
@FunctionalInterface
public interface LocalWork {
  void run(Connection connection) throws Exception;
}
