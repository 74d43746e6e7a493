package dev.cohort.replica;

import dev.cohort.jdbc.Database;
import dev.cohort.replica.internal.Dialect;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Settings of a {@link RoutingDataSource}. Immutable; build with {@link #builder()}, derive with
 * {@link #toBuilder()}. Every default is a named constant below.
 */
public final class ReplicaOptions {
  public static final String DEFAULT_SOURCE_ID = "default";
  public static final ConsistencyPolicy DEFAULT_POLICY = ConsistencyPolicy.READ_YOUR_WRITES;
  public static final Duration DEFAULT_MAX_WAIT = Duration.ofMillis(100);
  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(50);
  public static final Duration DEFAULT_MAX_LAG = Duration.ofSeconds(5);
  public static final Duration DEFAULT_BACKOFF_INITIAL = Duration.ofSeconds(1);
  public static final Duration DEFAULT_BACKOFF_MAX = Duration.ofSeconds(30);
  public static final Duration DEFAULT_PROBE_TIMEOUT = Duration.ofSeconds(2);
  public static final Balancing DEFAULT_BALANCING = Balancing.ROUND_ROBIN;

  private final String sourceId;
  private final ConsistencyPolicy defaultPolicy;
  private final Duration maxWait;
  private final Duration pollInterval;
  private final Duration maxLag;
  private final Duration backoffInitial;
  private final Duration backoffMax;
  private final Duration probeTimeout;
  private final Balancing balancing;
  private final Database database;
  private final Set<String> foreignSources;
  private final Clock clock;
  private final MeterRegistry meterRegistry;

  private ReplicaOptions(Builder b) {
    this.sourceId = b.sourceId;
    this.defaultPolicy = b.defaultPolicy;
    this.maxWait = b.maxWait;
    this.pollInterval = b.pollInterval;
    this.maxLag = b.maxLag;
    this.backoffInitial = b.backoffInitial;
    this.backoffMax = b.backoffMax;
    this.probeTimeout = b.probeTimeout;
    this.balancing = b.balancing;
    this.database = b.database;
    this.foreignSources = Set.copyOf(b.foreignSources);
    this.clock = b.clock;
    this.meterRegistry = b.meterRegistry;
  }

  public static ReplicaOptions defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.sourceId = sourceId;
    b.defaultPolicy = defaultPolicy;
    b.maxWait = maxWait;
    b.pollInterval = pollInterval;
    b.maxLag = maxLag;
    b.backoffInitial = backoffInitial;
    b.backoffMax = backoffMax;
    b.probeTimeout = probeTimeout;
    b.balancing = balancing;
    b.database = database;
    b.foreignSources = new TreeSet<>(foreignSources);
    b.clock = clock;
    b.meterRegistry = meterRegistry;
    return b;
  }

  /** Names this cluster in tokens; services sharing a database must use the same id. */
  public String sourceId() {
    return sourceId;
  }

  /** The policy when no {@link Consistency#policy} scope is active. */
  public ConsistencyPolicy defaultPolicy() {
    return defaultPolicy;
  }

  /** How long a read waits for a replica to apply its token before it goes to the primary. */
  public Duration maxWait() {
    return maxWait;
  }

  /** How often replica positions, lag and roles are refreshed. */
  public Duration pollInterval() {
    return pollInterval;
  }

  /** A replica further behind leaves the rotation; it returns below half of it. */
  public Duration maxLag() {
    return maxLag;
  }

  public Duration backoffInitial() {
    return backoffInitial;
  }

  public Duration backoffMax() {
    return backoffMax;
  }

  /** Query timeout of the poller's probes. */
  public Duration probeTimeout() {
    return probeTimeout;
  }

  public Balancing balancing() {
    return balancing;
  }

  /** Empty: detected from the primary's JDBC metadata. */
  public Optional<Database> database() {
    return Optional.ofNullable(database);
  }

  /**
   * Source ids of other clusters whose token entries do not concern this one (the session also
   * wrote to them). Any other unknown source in a token sends the read to the primary.
   */
  public Set<String> foreignSources() {
    return foreignSources;
  }

  public Clock clock() {
    return clock;
  }

  /** Empty: a private {@code SimpleMeterRegistry}, readable through {@link RoutingDataSource}. */
  public Optional<MeterRegistry> meterRegistry() {
    return Optional.ofNullable(meterRegistry);
  }

  @Override
  public String toString() {
    return "ReplicaOptions{sourceId="
        + sourceId
        + ", policy="
        + defaultPolicy
        + ", maxWait="
        + maxWait
        + ", pollInterval="
        + pollInterval
        + ", maxLag="
        + maxLag
        + ", balancing="
        + balancing
        + "}";
  }

  /** Collects settings; {@link #build()} checks them together. */
  public static final class Builder {
    private String sourceId = DEFAULT_SOURCE_ID;
    private ConsistencyPolicy defaultPolicy = DEFAULT_POLICY;
    private Duration maxWait = DEFAULT_MAX_WAIT;
    private Duration pollInterval = DEFAULT_POLL_INTERVAL;
    private Duration maxLag = DEFAULT_MAX_LAG;
    private Duration backoffInitial = DEFAULT_BACKOFF_INITIAL;
    private Duration backoffMax = DEFAULT_BACKOFF_MAX;
    private Duration probeTimeout = DEFAULT_PROBE_TIMEOUT;
    private Balancing balancing = DEFAULT_BALANCING;
    private Database database;
    private Set<String> foreignSources = new TreeSet<>();
    private Clock clock = Clock.systemUTC();
    private MeterRegistry meterRegistry;

    private Builder() {}

    public Builder sourceId(String sourceId) {
      this.sourceId = ConsistencyToken.requireSourceId(sourceId);
      return this;
    }

    public Builder defaultPolicy(ConsistencyPolicy policy) {
      this.defaultPolicy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    public Builder maxWait(Duration maxWait) {
      this.maxWait = nonNegative("maxWait", maxWait);
      return this;
    }

    public Builder pollInterval(Duration pollInterval) {
      this.pollInterval = positive("pollInterval", pollInterval);
      return this;
    }

    public Builder maxLag(Duration maxLag) {
      this.maxLag = positive("maxLag", maxLag);
      return this;
    }

    public Builder backoff(Duration initial, Duration max) {
      this.backoffInitial = positive("backoff initial", initial);
      this.backoffMax = positive("backoff max", max);
      return this;
    }

    public Builder probeTimeout(Duration probeTimeout) {
      this.probeTimeout = positive("probeTimeout", probeTimeout);
      return this;
    }

    public Builder balancing(Balancing balancing) {
      this.balancing = Objects.requireNonNull(balancing, "balancing");
      return this;
    }

    /**
     * The cluster's database, instead of detecting it from the primary: {@link Database#POSTGRESQL}
     * or {@link Database#MARIADB}; {@link Database#SQLITE} has no replicas and is refused.
     */
    public Builder database(Database database) {
      this.database = Dialect.requireReplicated(Objects.requireNonNull(database, "database"));
      return this;
    }

    public Builder foreignSources(String... sourceIds) {
      for (String s : sourceIds) {
        foreignSources.add(ConsistencyToken.requireSourceId(s));
      }
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    public Builder meterRegistry(MeterRegistry registry) {
      this.meterRegistry = Objects.requireNonNull(registry, "registry");
      return this;
    }

    public ReplicaOptions build() {
      if (backoffMax.compareTo(backoffInitial) < 0) {
        throw new IllegalArgumentException(
            "backoff max ("
                + backoffMax
                + ") must not be below backoff initial ("
                + backoffInitial
                + ")");
      }
      if (foreignSources.contains(sourceId)) {
        throw new IllegalArgumentException(
            "source id '" + sourceId + "' cannot also be listed as a foreign source");
      }
      return new ReplicaOptions(this);
    }

    private static Duration positive(String name, Duration d) {
      Objects.requireNonNull(d, name);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be positive, got " + d);
      }
      return d;
    }

    private static Duration nonNegative(String name, Duration d) {
      Objects.requireNonNull(d, name);
      if (d.isNegative()) {
        throw new IllegalArgumentException(name + " must not be negative, got " + d);
      }
      return d;
    }
  }
}
