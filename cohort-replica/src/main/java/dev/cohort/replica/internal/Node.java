package dev.cohort.replica.internal;

import dev.cohort.replica.Position;
import dev.cohort.replica.ReplicaStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import javax.sql.DataSource;

/** One database server and what the poller knows about it. Fields are written by its poller. */
public final class Node {
  final String name;
  final DataSource dataSource;
  final int weight;

  volatile boolean up = true;
  volatile boolean probed;
  volatile boolean writable;
  volatile Position position;
  volatile boolean inRotation = true;
  volatile long lagBytes = -1;
  volatile long lagTransactions = -1;
  volatile Duration lagTime = Duration.ZERO;
  volatile Instant lastProbe;
  volatile Instant retryAt = Instant.MIN;
  volatile String lastError;
  int failures;

  public Node(String name, DataSource dataSource, int weight) {
    this.name = name;
    this.dataSource = dataSource;
    this.weight = weight;
  }

  public String name() {
    return name;
  }

  /** Raises the known applied position after a successful wait; positions only grow. */
  synchronized void observeApplied(Position applied) {
    Position p = position;
    position = p == null ? applied : p.max(applied);
  }

  ReplicaStatus status(boolean isPrimary) {
    return new ReplicaStatus(
        name,
        isPrimary,
        up,
        !isPrimary && up && inRotation && !writable,
        Optional.ofNullable(position),
        isPrimary ? 0 : lagBytes,
        isPrimary ? 0 : lagTransactions,
        isPrimary ? Duration.ZERO : lagTime,
        Optional.ofNullable(lastProbe),
        Optional.ofNullable(lastError));
  }

  @Override
  public String toString() {
    return name;
  }
}
