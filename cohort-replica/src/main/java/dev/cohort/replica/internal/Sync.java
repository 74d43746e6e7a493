package dev.cohort.replica.internal;

import dev.cohort.replica.ConsistencyToken;
import dev.cohort.replica.Position;
import dev.cohort.replica.ReplicaSync;
import dev.cohort.replica.SyncResult;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

/** {@link ReplicaSync} over the cluster's current replicas, one waiting task per replica. */
public final class Sync implements ReplicaSync {
  private final Cluster cluster;
  private final ExecutorService executor;

  public Sync(Cluster cluster, ExecutorService executor) {
    this.cluster = cluster;
    this.executor = executor;
  }

  @Override
  public CompletableFuture<SyncResult> await(ConsistencyToken token, Duration timeout, Mode mode) {
    long start = System.nanoTime();
    Position need = token.position(cluster.options().sourceId()).orElse(null);
    List<Node> replicas = new ArrayList<>();
    for (Node n : cluster.nodes()) {
      if (!cluster.isPrimary(n)) {
        replicas.add(n);
      }
    }
    if (need == null || replicas.isEmpty()) {
      return CompletableFuture.completedFuture(
          new SyncResult(
              true,
              replicas.stream().map(Node::name).toList(),
              List.of(),
              Duration.ofNanos(System.nanoTime() - start)));
    }
    CompletableFuture<SyncResult> result = new CompletableFuture<>();
    List<String> applied = new ArrayList<>();
    List<String> pending = new ArrayList<>();
    AtomicInteger left = new AtomicInteger(replicas.size());
    for (Node n : replicas) {
      // The outcome is collected in whenComplete; the returned stage is not needed.
      var unused =
          CompletableFuture.supplyAsync(() -> waitOn(n, need, timeout), executor)
              .whenComplete((ok, error) -> {
                boolean done = Boolean.TRUE.equals(ok);
                synchronized (applied) {
                  (done ? applied : pending).add(n.name);
                  boolean last = left.decrementAndGet() == 0;
                  Duration took = Duration.ofNanos(System.nanoTime() - start);
                  if (mode == Mode.ANY && done) {
                    result.complete(new SyncResult(true, List.copyOf(applied), List.of(), took));
                  } else if (last) {
                    boolean satisfied = mode == Mode.ANY ? !applied.isEmpty() : pending.isEmpty();
                    result.complete(
                        new SyncResult(
                            satisfied, List.copyOf(applied), List.copyOf(pending), took));
                  }
                }
              });
    }
    return result;
  }

  private boolean waitOn(Node n, Position need, Duration timeout) {
    Position at = n.position;
    if (at != null && at.covers(need)) {
      return true;
    }
    try (Connection c = n.dataSource.getConnection()) {
      boolean ok = cluster.dialect().awaitApplied(c, need, timeout);
      if (ok) {
        n.observeApplied(need);
      }
      return ok;
    } catch (SQLException e) {
      cluster.markDown(n, e);
      return false;
    }
  }
}
