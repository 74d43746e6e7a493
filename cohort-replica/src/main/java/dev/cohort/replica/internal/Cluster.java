package dev.cohort.replica.internal;

import dev.cohort.replica.ConsistencyPolicy;
import dev.cohort.replica.ConsistencyToken;
import dev.cohort.replica.Position;
import dev.cohort.replica.ReplicaOptions;
import dev.cohort.replica.ReplicaStatus;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The nodes of one source, their roles and positions (kept fresh by a poller), and the routing
 * decision for a read.
 */
public final class Cluster implements AutoCloseable, ConsistencyContext.PendingSource {

  private static final Logger log = LoggerFactory.getLogger(Cluster.class);
  private static final int MAX_SAMPLES = 4096;
  private static final Duration WARN_EVERY = Duration.ofSeconds(10);

  /** Where a read goes, and the position to wait for there first (null: none). */
  public record Route(Node node, Position awaitPosition, String fallbackReason) {}

  private final ReplicaOptions options;
  private final Dialect dialect;
  private final List<Node> nodes;
  private final ReplicaMetrics metrics;
  private final int timeoutSeconds;
  private final Deque<Sample> primarySamples = new ArrayDeque<>();
  private final AtomicLong turn = new AtomicLong();
  private final Map<String, Instant> lastWarned = new ConcurrentHashMap<>();
  private volatile Node primary;
  private volatile Instant lastEjection = Instant.MIN;
  private ScheduledExecutorService poller;

  private record Sample(Instant at, Position position) {}

  public Cluster(
      Node primary,
      List<Node> replicas,
      ReplicaOptions options,
      Dialect dialect,
      MeterRegistry registry) {
    this.options = options;
    this.dialect = dialect;
    this.primary = primary;
    this.primary.writable = true;
    List<Node> all = new ArrayList<>();
    all.add(primary);
    all.addAll(replicas);
    this.nodes = List.copyOf(all);
    this.metrics = new ReplicaMetrics(registry, options.sourceId());
    this.timeoutSeconds = (int) Math.max(1, options.probeTimeout().toSeconds());
    for (Node n : nodes) {
      metrics.registerLag(n);
    }
  }

  /** Probes every node once (so the first reads know the replicas), then polls in background. */
  public void start() {
    if (nodes.size() == 1) {
      log.info(
          "cohort-replica source '{}': no replicas configured, every statement goes to the"
              + " primary {}",
          options.sourceId(),
          primary.name);
    }
    for (Node n : nodes) {
      probe(n);
    }
    AtomicInteger count = new AtomicInteger();
    poller =
        Executors.newScheduledThreadPool(
            nodes.size(),
            r -> {
              Thread t =
                  new Thread(
                      r,
                      "cohort-replica-poller-"
                          + options.sourceId()
                          + "-"
                          + count.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    long interval = options.pollInterval().toNanos();
    for (Node n : nodes) {
      // A task that throws is silently never run again: keep each node's polling alive whatever
      // one probe does.
      var unused =
          poller.scheduleWithFixedDelay(
              () -> {
                try {
                  probe(n);
                } catch (RuntimeException e) {
                  log.warn("probing replica {} failed", n.name, e);
                }
              },
              interval,
              interval,
              TimeUnit.NANOSECONDS);
    }
  }

  public ReplicaOptions options() {
    return options;
  }

  public Dialect dialect() {
    return dialect;
  }

  public Node primary() {
    return primary;
  }

  public boolean isPrimary(Node n) {
    return n == primary;
  }

  public List<ReplicaStatus> status() {
    Node p = primary;
    return nodes.stream().map(n -> n.status(n == p)).toList();
  }

  List<Node> nodes() {
    return nodes;
  }

  ReplicaMetrics metrics() {
    return metrics;
  }

  /** A token holding the current primary's position now (covers every commit so far). */
  @Override
  public ConsistencyToken currentToken() {
    Node p = primary;
    try (Connection c = p.dataSource.getConnection()) {
      return ConsistencyToken.of(options.sourceId(), dialect.currentPosition(c));
    } catch (SQLException e) {
      throw new IllegalStateException(
          "cohort-replica source '"
              + options.sourceId()
              + "': could not read the position of primary "
              + p.name
              + " for the session token ("
              + e.getMessage()
              + ")",
          e);
    }
  }

  // ---- routing ----

  /**
   * Decides where a replica-eligible read goes under {@code policy} for a session at {@code token}.
   */
  public Route route(ConsistencyPolicy policy, ConsistencyToken token) {
    Node p = primary;
    if (nodes.size() == 1) {
      return new Route(p, null, null);
    }
    if (policy instanceof ConsistencyPolicy.Primary) {
      return new Route(p, null, null);
    }
    List<Node> candidates = candidates(p);
    if (candidates.isEmpty()) {
      return fallback("no_replica", "no replica of source '" + options.sourceId() + "' is usable");
    }
    return switch (policy) {
      case ConsistencyPolicy.Eventual e -> new Route(balance(candidates), null, null);
      case ConsistencyPolicy.BoundedStaleness b -> bounded(candidates, b.maxLag());
      case ConsistencyPolicy.ReadYourWrites r -> readYourWrites(candidates, token);
      case ConsistencyPolicy.Primary x -> new Route(p, null, null);
    };
  }

  private Route bounded(List<Node> candidates, Duration maxLag) {
    Instant now = options.clock().instant();
    List<Node> fresh = new ArrayList<>();
    for (Node n : candidates) {
      if (n.lastProbe == null) {
        continue;
      }
      // Staleness now is at most the measured lag, plus the time since that measurement, plus one
      // poll interval (the primary's position is itself sampled).
      Duration bound =
          n.lagTime.plus(Duration.between(n.lastProbe, now)).plus(options.pollInterval());
      if (bound.compareTo(maxLag) <= 0) {
        fresh.add(n);
      }
    }
    if (fresh.isEmpty()) {
      return fallback(
          "staleness", "no replica is known to be within " + maxLag + " of the primary");
    }
    return new Route(balance(fresh), null, null);
  }

  private Route readYourWrites(List<Node> candidates, ConsistencyToken token) {
    Position need = null;
    for (Map.Entry<String, Position> e : token.positions().entrySet()) {
      String source = e.getKey();
      if (source.equals(options.sourceId())) {
        need = e.getValue();
      } else if (!options.foreignSources().contains(source)) {
        return fallback(
            "unknown_source",
            "the session token names source '"
                + source
                + "', which is neither this cluster ('"
                + options.sourceId()
                + "') nor a declared foreign source; reading from the primary");
      }
    }
    if (need == null) {
      return new Route(balance(candidates), null, null);
    }
    if (!need.kindTag().equals(kindTag())) {
      return fallback(
          "unknown_source",
          "the session token's position for '"
              + options.sourceId()
              + "' is of kind '"
              + need.kindTag()
              + "' but this cluster is "
              + dialect.kind());
    }
    List<Node> covered = new ArrayList<>();
    for (Node n : candidates) {
      Position at = n.position;
      if (at != null && at.covers(need)) {
        covered.add(n);
      }
    }
    if (!covered.isEmpty()) {
      return new Route(balance(covered), null, null);
    }
    if (options.maxWait().isZero()) {
      return fallback("lag", "no replica has applied " + need + " yet");
    }
    Node best =
        candidates.stream()
            .min(Comparator.comparing((Node n) -> n.lagTime).thenComparing(n -> -n.weight))
            .orElseThrow();
    return new Route(best, need, null);
  }

  private String kindTag() {
    return switch (dialect.kind()) {
      case POSTGRESQL -> "pg";
      case MARIADB -> "mdb";
    };
  }

  /** Records a fallback and returns the primary route. */
  Route fallback(String reason, String why) {
    metrics.fallback(reason);
    warnSometimes(reason, "cohort-replica source '" + options.sourceId() + "': " + why);
    return new Route(primary, null, reason);
  }

  void warnSometimes(String key, String message) {
    Instant now = options.clock().instant();
    Instant last = lastWarned.get(key);
    if (last == null || Duration.between(last, now).compareTo(WARN_EVERY) >= 0) {
      lastWarned.put(key, now);
      log.warn(message);
    }
  }

  private List<Node> candidates(Node p) {
    List<Node> list = new ArrayList<>(nodes.size());
    for (Node n : nodes) {
      if (n != p && n.up && n.inRotation && !n.writable) {
        list.add(n);
      }
    }
    return list;
  }

  private Node balance(List<Node> candidates) {
    if (candidates.size() == 1) {
      return candidates.get(0);
    }
    long t = turn.getAndIncrement();
    return switch (options.balancing()) {
      case ROUND_ROBIN -> candidates.get((int) Math.floorMod(t, (long) candidates.size()));
      case WEIGHTED -> weighted(candidates, t);
      case LEAST_LAG -> {
        Duration least = candidates.stream().map(n -> n.lagTime).min(Duration::compareTo).get();
        List<Node> best = candidates.stream().filter(n -> n.lagTime.equals(least)).toList();
        yield best.get((int) Math.floorMod(t, (long) best.size()));
      }
    };
  }

  private static Node weighted(List<Node> candidates, long t) {
    long total = 0;
    for (Node n : candidates) {
      total += n.weight;
    }
    long slot = Math.floorMod(t, total);
    for (Node n : candidates) {
      slot -= n.weight;
      if (slot < 0) {
        return n;
      }
    }
    return candidates.get(candidates.size() - 1);
  }

  /** A replica connection failed in use: skip it until the poller sees it again. */
  void markDown(Node n, Exception cause) {
    if (n == primary) {
      return;
    }
    failed(n, options.clock().instant(), cause);
  }

  // ---- polling ----

  void probe(Node n) {
    Instant now = options.clock().instant();
    if (now.isBefore(n.retryAt)) {
      return;
    }
    Dialect.Probe probe;
    try (Connection c = n.dataSource.getConnection()) {
      probe = dialect.probe(c, timeoutSeconds);
    } catch (SQLException | RuntimeException e) {
      failed(n, now, e);
      checkRoles();
      return;
    }
    boolean wasUp = n.up;
    synchronized (n) {
      n.up = true;
      n.failures = 0;
      n.lastError = null;
      n.retryAt = Instant.MIN;
      n.writable = probe.writable();
      n.position = probe.position();
      n.lastProbe = now;
      n.probed = true;
    }
    if (!wasUp) {
      log.info("cohort-replica source '{}': node {} answers again", options.sourceId(), n.name);
    }
    if (n == primary && probe.position() != null) {
      synchronized (primarySamples) {
        Sample last = primarySamples.peekLast();
        if (last == null || !last.position().covers(probe.position())) {
          primarySamples.addLast(new Sample(now, probe.position()));
          while (primarySamples.size() > MAX_SAMPLES) {
            primarySamples.removeFirst();
          }
        }
      }
    } else if (n != primary) {
      updateLag(n, now);
    }
    checkRoles();
  }

  private void failed(Node n, Instant now, Exception e) {
    boolean wasUp;
    Duration backoff;
    synchronized (n) {
      wasUp = n.up;
      n.up = false;
      n.failures++;
      n.lastError = String.valueOf(e.getMessage());
      long factor = 1L << Math.min(20, n.failures - 1);
      backoff = options.backoffInitial().multipliedBy(factor);
      if (backoff.compareTo(options.backoffMax()) > 0) {
        backoff = options.backoffMax();
      }
      n.retryAt = now.plus(backoff);
    }
    if (wasUp) {
      log.warn(
          "cohort-replica source '{}': node {} is unreachable ({}); skipped, next try in {}",
          options.sourceId(),
          n.name,
          e.getMessage(),
          backoff);
    }
  }

  private void updateLag(Node n, Instant now) {
    Position at = n.position;
    if (at == null) {
      n.lagTime = Duration.ZERO;
      return;
    }
    Sample latest;
    Instant firstUncovered = null;
    synchronized (primarySamples) {
      latest = primarySamples.peekLast();
      for (Sample s : primarySamples) {
        if (!at.covers(s.position())) {
          firstUncovered = s.at();
          break;
        }
      }
    }
    if (latest != null && latest.position().kindTag().equals(at.kindTag())) {
      n.lagBytes = latest.position().bytesAhead(at);
      n.lagTransactions = latest.position().transactionsAhead(at);
    }
    n.lagTime = firstUncovered == null ? Duration.ZERO : Duration.between(firstUncovered, now);
    updateRotation(n, now);
  }

  /**
   * A replica whose lag exceeds {@code maxLag} leaves the rotation and returns below half of it.
   * Against cascades (load moves to the others, they fall behind too, everything lands on the
   * primary): at most one replica leaves per poll interval, and the last replica in the rotation
   * never leaves for lag; per-read checks (tokens, bounded staleness) still protect freshness.
   */
  private synchronized void updateRotation(Node n, Instant now) {
    Duration lag = n.lagTime;
    if (n.inRotation && lag.compareTo(options.maxLag()) > 0) {
      long inRotation = nodes.stream().filter(x -> x != primary && x.up && x.inRotation).count();
      boolean recentEjection =
          Duration.between(lastEjection, now).compareTo(options.pollInterval()) < 0;
      if (inRotation > 1 && !recentEjection) {
        n.inRotation = false;
        lastEjection = now;
        log.warn(
            "cohort-replica source '{}': replica {} is {} behind (max {}); out of the rotation",
            options.sourceId(),
            n.name,
            lag,
            options.maxLag());
      }
    } else if (!n.inRotation && lag.compareTo(options.maxLag().dividedBy(2)) <= 0) {
      n.inRotation = true;
      log.info(
          "cohort-replica source '{}': replica {} caught up ({} behind); back in the rotation",
          options.sourceId(),
          n.name,
          lag);
    }
  }

  /** Swaps roles when the primary is gone or read-only and a replica has become writable. */
  private synchronized void checkRoles() {
    Node p = primary;
    if (p.up && p.writable) {
      return;
    }
    for (Node n : nodes) {
      if (n != p && n.up && n.probed && n.writable) {
        primary = n;
        n.inRotation = true;
        synchronized (primarySamples) {
          primarySamples.clear();
        }
        metrics.failover();
        log.warn(
            "cohort-replica source '{}': {} is now the primary ({} is {}); writes follow it",
            options.sourceId(),
            n.name,
            p.name,
            p.up ? "read-only" : "unreachable");
        return;
      }
    }
  }

  @Override
  public void close() {
    if (poller != null) {
      poller.shutdownNow();
    }
  }
}
