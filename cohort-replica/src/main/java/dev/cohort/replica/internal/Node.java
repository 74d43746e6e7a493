package dev.cohort.replica.internal;

import dev.cohort.replica.NodeHealth;
import dev.cohort.replica.NodeHealthListener;
import dev.cohort.replica.Position;
import dev.cohort.replica.ReplicaStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One database server and what the poller knows about it. Its health changes only through {@link
 * #moveTo}; the measurements are written by {@link NodeHealthPolicy} and {@link LagSampler}.
 */
public final class Node {
  private static final Logger log = LoggerFactory.getLogger(Node.class);

  final String name;
  final DataSource dataSource;
  final int weight;
  private final NodeHealthListener listener;

  private volatile NodeHealth health = NodeHealth.STARTING;
  volatile Position position;
  volatile long lagBytes = -1;
  volatile long lagTransactions = -1;
  volatile Duration lagTime = Duration.ZERO;
  volatile Instant lastProbe;

  /** Every commit on the primary before this instant is on this replica; null when unknown. */
  volatile Instant completeAsOf;

  volatile String lastError;
  // Guarded by this node's lock, with the health change they go with.
  int failures;
  Instant retryAt = Instant.MIN;

  public Node(String name, DataSource dataSource, int weight, NodeHealthListener listener) {
    this.name = name;
    this.dataSource = dataSource;
    this.weight = weight;
    this.listener = listener;
  }

  public String name() {
    return name;
  }

  public NodeHealth health() {
    return health;
  }

  /**
   * The one place a node's health changes. Staying where it is is no transition.
   *
   * @return the health before
   * @throws IllegalStateException naming the node, from and to, if the table forbids the move
   */
  NodeHealth moveTo(NodeHealth to) {
    NodeHealth from;
    synchronized (this) {
      from = health;
      if (from == to) {
        return from;
      }
      health = from.transition(name, to);
    }
    try {
      listener.onTransition(name, from, to);
    } catch (RuntimeException e) {
      log.warn("health listener failed on {} {} -> {}", name, from, to, e);
    }
    return from;
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
        health,
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
