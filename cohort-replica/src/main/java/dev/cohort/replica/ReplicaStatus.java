package dev.cohort.replica;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * One node as the poller last saw it.
 *
 * @param name the name given at configuration
 * @param primary whether the node currently takes the writes
 * @param health what its last probe (or a failed connection) said
 * @param position its applied (replica) or current (primary) replication position, if known
 * @param lagBytes WAL bytes behind the primary (PostgreSQL), else -1
 * @param lagTransactions GTID sequence numbers behind the primary (MariaDB), else -1
 * @param lagTime how long ago the primary was where this replica is now
 * @param lastProbe when the last probe answered, if ever
 * @param lastError the last probe's failure, if it failed
 */
public record ReplicaStatus(
    String name,
    boolean primary,
    NodeHealth health,
    Optional<Position> position,
    long lagBytes,
    long lagTransactions,
    Duration lagTime,
    Optional<Instant> lastProbe,
    Optional<String> lastError) {

  /** Whether it is not known to be down. */
  public boolean up() {
    return health != NodeHealth.DOWN;
  }

  /** Whether plain replica reads may go to it: a replica, {@link NodeHealth#UP}. */
  public boolean inRotation() {
    return !primary && health == NodeHealth.UP;
  }
}
