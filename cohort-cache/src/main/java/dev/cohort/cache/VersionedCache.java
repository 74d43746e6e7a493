package dev.cohort.cache;

import dev.cohort.api.Scheduler;
import dev.cohort.cache.internal.CacheStore;
import dev.cohort.cache.internal.RedisCacheStore;
import dev.cohort.replica.Consistency;
import dev.cohort.replica.ConsistencyToken;
import io.lettuce.core.RedisException;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cache-aside on Redis that does not put stale values back:
 *
 * <ul>
 *   <li>every value is stored with the version it was read at ({@link Versioned});
 *   <li>an invalidation leaves a tombstone with the writer's version and read-your-writes token;
 *   <li>a fill older than the tombstone is refused, in one Lua script (check and write are one
 *       step), so a slow reader or a lagging replica cannot undo an invalidation;
 *   <li>a miss behind a tombstone loads inside a session carrying the writer's token, so a {@link
 *       dev.cohort.replica.RoutingDataSource} reads a replica that has applied the write, else the
 *       primary;
 *   <li>one load per key at a time in this process (single flight);
 *   <li>invalidations run after commit ({@link #invalidateAfterCommit}), are retried until Redis
 *       takes them, and are repeated after the {@link SecondDelete} delay;
 *   <li>values expire after {@link CacheOptions#ttl()} whatever happens.
 * </ul>
 *
 * Thread-safe. Close it to stop retries it scheduled on a scheduler it created.
 */
public final class VersionedCache<V> implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(VersionedCache.class);

  private final CacheStore store;
  private final CacheCodec<V> codec;
  private final CacheOptions options;
  private final Scheduler scheduler;
  private final boolean ownsScheduler;
  private final SecondDelete secondDelete;
  private final ConcurrentHashMap<String, CompletableFuture<Optional<V>>> inFlight =
      new ConcurrentHashMap<>();
  private final AtomicInteger pending = new AtomicInteger();

  private VersionedCache(Builder<V> b) {
    this.store = b.store;
    this.codec = b.codec;
    this.options = b.options;
    this.ownsScheduler = b.scheduler == null;
    this.scheduler = ownsScheduler ? Scheduler.system("cohort-cache") : b.scheduler;
    this.secondDelete = b.secondDelete;
  }

  public static <V> Builder<V> builder(
      StatefulRedisConnection<String, String> connection, CacheCodec<V> codec) {
    return new Builder<>(
        new RedisCacheStore(Objects.requireNonNull(connection, "connection")), codec);
  }

  /** For tests that put a failing store in front of Redis. */
  static <V> Builder<V> builder(CacheStore store, CacheCodec<V> codec) {
    return new Builder<>(store, codec);
  }

  public CacheOptions options() {
    return options;
  }

  /**
   * The cached value, else loads it with {@code loader} (one load per key at a time; concurrent
   * callers wait for it), stores it unless an invalidation newer than it is there, and returns it.
   * A value found stale that way is loaded once more, behind the invalidating writer's token.
   *
   * @return empty when the loader found nothing (nothing is cached then)
   * @throws MissingVersionException when the loader returned a value without a version
   * @throws CacheException when the loader failed (its exception is the cause)
   */
  public Optional<V> get(String key, Loader<V> loader) {
    String redisKey = redisKey(key);
    Objects.requireNonNull(loader, "loader");
    CacheEntry<V> entry;
    try {
      String raw = store.get(redisKey);
      if (isValue(raw)) {
        // The hit: the caller needs the value only, so the version is not decoded.
        return Optional.of(codec.decode(raw.substring(HEADER)));
      }
      entry = parse(key, raw);
    } catch (RedisException e) {
      // Redis is down: serve from the database, fill nothing (nothing could be refused either).
      log.warn("reading cache key '{}' failed ({}); loading it uncached", key, e.toString());
      Versioned<V> loaded = load(key, loader, new CacheEntry.Absent<>());
      return loaded == null ? Optional.empty() : Optional.of(loaded.value());
    }
    if (entry instanceof CacheEntry.Value<V> hit) {
      return Optional.of(hit.value());
    }
    CompletableFuture<Optional<V>> mine = new CompletableFuture<>();
    CompletableFuture<Optional<V>> running = inFlight.putIfAbsent(redisKey, mine);
    if (running != null) {
      return await(running);
    }
    try {
      Optional<V> result = loadAndFill(key, loader, entry);
      mine.complete(result);
      return result;
    } catch (RuntimeException e) {
      mine.completeExceptionally(e);
      throw e;
    } finally {
      inFlight.remove(redisKey, mine);
    }
  }

  private Optional<V> await(CompletableFuture<Optional<V>> running) {
    try {
      return running.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw e;
    }
  }

  private Optional<V> loadAndFill(String key, Loader<V> loader, CacheEntry<V> seen) {
    Versioned<V> loaded = load(key, loader, seen);
    if (loaded == null) {
      return Optional.empty();
    }
    Fill<V> fill;
    try {
      fill = fill(key, loaded, true);
    } catch (RedisException e) {
      log.warn(
          "filling cache key '{}' failed ({}); returning the value uncached", key, e.toString());
      return Optional.of(loaded.value());
    }
    if (fill.outcome() == FillOutcome.REFUSED_STALE) {
      // What we read predates a committed write: read again behind that writer's token.
      loaded = load(key, loader, fill.found());
      if (loaded == null) {
        return Optional.empty();
      }
      try {
        fill(key, loaded, true);
      } catch (RedisException e) {
        log.warn(
            "filling cache key '{}' failed ({}); returning the value uncached", key, e.toString());
      }
    }
    return Optional.of(loaded.value());
  }

  @SuppressWarnings("try") // the session is a scope: opened for the load, never referenced
  private Versioned<V> load(String key, Loader<V> loader, CacheEntry<V> seen) {
    ConsistencyToken writer =
        seen instanceof CacheEntry.Tombstone<V> t ? t.writerToken() : ConsistencyToken.EMPTY;
    try {
      if (writer.isEmpty()) {
        return loader.load(key);
      }
      try (Consistency.Session s = Consistency.session(Consistency.token().merge(writer))) {
        return loader.load(key);
      }
    } catch (CacheException e) {
      throw e;
    } catch (Exception e) {
      throw new CacheException("loading cache key '" + key + "' failed: " + e.getMessage(), e);
    }
  }

  /**
   * Stores {@code loaded} unless an entry at least as new is there: an invalidation with a newer
   * version refuses it ({@link FillOutcome#REFUSED_STALE}), a value at the same or a newer version
   * is kept ({@link FillOutcome#KEPT_NEWER}).
   *
   * @throws MissingVersionException when {@code loaded} has no version; nothing is written
   * @throws VersionKindMismatchException when the key holds another kind of version
   */
  public FillOutcome fill(String key, Versioned<V> loaded) {
    return fill(key, loaded, false).outcome();
  }

  private record Fill<V>(FillOutcome outcome, CacheEntry<V> found) {}

  private Fill<V> fill(String key, Versioned<V> loaded, boolean fromLoader) {
    String redisKey = redisKey(key);
    Objects.requireNonNull(loaded, "loaded");
    if (loaded.version() == null) {
      throw new MissingVersionException(key);
    }
    if (loaded.value() == null) {
      throw new CacheException(
          "fill of cache key '"
              + key
              + "' at "
              + loaded.version()
              + " has a null value; "
              + (fromLoader ? "return null from the loader" : "do not fill")
              + " when there is nothing to cache");
    }
    String reply =
        store.fill(
            redisKey,
            loaded.version().encoded(),
            codec.encode(loaded.value()),
            options.ttl().toMillis());
    if (reply.equals("stored")) {
      return new Fill<>(FillOutcome.STORED, new CacheEntry.Absent<>());
    }
    int colon = reply.indexOf(':');
    String what = reply.substring(0, colon);
    CacheEntry<V> found = parse(key, reply.substring(colon + 1));
    return switch (what) {
      case "stale" -> new Fill<>(FillOutcome.REFUSED_STALE, found);
      case "kept" -> new Fill<>(FillOutcome.KEPT_NEWER, found);
      case "kind" ->
          throw new VersionKindMismatchException(key, versionOf(found), loaded.version());
      default -> throw new IllegalStateException("unexpected fill reply '" + reply + "'");
    };
  }

  /** What Redis holds for {@code key} now. */
  public CacheEntry<V> peek(String key) {
    return parse(key, store.get(redisKey(key)));
  }

  /**
   * Invalidates {@code key} for a write committed at {@code writerVersion}, with the current
   * thread's read-your-writes token ({@link Consistency#token()}), now and again after the {@link
   * SecondDelete} delay. A failure is logged and retried in the background until Redis takes it.
   */
  public void invalidate(String key, CacheVersion writerVersion) {
    invalidate(key, writerVersion, Consistency.token());
  }

  /** {@link #invalidate(String, CacheVersion)} with the writer's token given. */
  public void invalidate(String key, CacheVersion writerVersion, ConsistencyToken writerToken) {
    Objects.requireNonNull(writerVersion, "writerVersion");
    Invalidation inv =
        new Invalidation(
            key,
            redisKey(key),
            writerVersion.encoded(),
            Objects.requireNonNull(writerToken, "writerToken").format());
    attempt(inv, options.retryInitial());
    Duration delay = secondDelete.delay();
    if (delay.isPositive()) {
      pending.incrementAndGet();
      scheduler.schedule(
          delay,
          () -> {
            pending.decrementAndGet();
            attempt(inv, options.retryInitial());
          });
    }
  }

  /**
   * Registers {@link #invalidate(String, CacheVersion)} to run right after the transaction of
   * {@code hooks} commits (nothing happens if it rolls back). The token is taken then, so it covers
   * the commit.
   */
  public void invalidateAfterCommit(CommitHooks hooks, String key, CacheVersion writerVersion) {
    redisKey(key);
    Objects.requireNonNull(writerVersion, "writerVersion");
    hooks.afterCommit(() -> invalidate(key, writerVersion));
  }

  /** Invalidations waiting for a retry or for their second delete. */
  public int pendingInvalidations() {
    return pending.get();
  }

  private record Invalidation(String key, String redisKey, String version, String token) {}

  private void attempt(Invalidation inv, Duration wait) {
    try {
      store.invalidate(
          inv.redisKey(), inv.version(), inv.token(), options.tombstoneTtl().toMillis());
    } catch (RuntimeException e) {
      log.warn(
          "invalidating cache key '{}' at {} failed ({}); trying again in {}",
          inv.key(),
          CacheVersion.decode(inv.version()),
          e.toString(),
          wait);
      Duration next = wait.multipliedBy(2);
      Duration capped = next.compareTo(options.retryMax()) > 0 ? options.retryMax() : next;
      pending.incrementAndGet();
      scheduler.schedule(
          wait,
          () -> {
            pending.decrementAndGet();
            attempt(inv, capped);
          });
    }
  }

  private String redisKey(String key) {
    if (key == null || key.isBlank()) {
      throw new IllegalArgumentException("cache key must not be blank, got '" + key + "'");
    }
    return options.namespace() + ":" + key;
  }

  /** {@code V}, the 21 characters of the version, {@code |}: what precedes a stored value. */
  private static final int HEADER = 23;

  private static boolean isValue(String raw) {
    return raw != null
        && raw.length() >= HEADER
        && raw.charAt(0) == 'V'
        && raw.charAt(HEADER - 1) == '|';
  }

  private CacheEntry<V> parse(String key, String raw) {
    if (raw == null) {
      return new CacheEntry.Absent<>();
    }
    int bar = raw.indexOf('|');
    if (bar != HEADER - 1 || (raw.charAt(0) != 'V' && raw.charAt(0) != 'T')) {
      throw new CacheException(
          "cache key '" + key + "' holds '" + abbreviate(raw) + "', not a Cohort cache entry");
    }
    CacheVersion version = CacheVersion.decode(raw.substring(1, bar));
    String rest = raw.substring(bar + 1);
    return raw.charAt(0) == 'V'
        ? new CacheEntry.Value<>(codec.decode(rest), version)
        : new CacheEntry.Tombstone<>(version, ConsistencyToken.parse(rest));
  }

  private static CacheVersion versionOf(CacheEntry<?> entry) {
    return switch (entry) {
      case CacheEntry.Value<?> v -> v.version();
      case CacheEntry.Tombstone<?> t -> t.version();
      case CacheEntry.Absent<?> a -> throw new IllegalStateException("no version in " + a);
    };
  }

  private static String abbreviate(String s) {
    return s.length() > 60 ? s.substring(0, 60) + "..." : s;
  }

  @Override
  public void close() {
    if (ownsScheduler) {
      scheduler.close();
    }
  }

  /** Settings of a {@link VersionedCache}. */
  public static final class Builder<V> {
    private final CacheStore store;
    private final CacheCodec<V> codec;
    private CacheOptions options = CacheOptions.defaults();
    private Scheduler scheduler;
    private SecondDelete secondDelete = SecondDelete.none();

    private Builder(CacheStore store, CacheCodec<V> codec) {
      this.store = store;
      this.codec = Objects.requireNonNull(codec, "codec");
    }

    public Builder<V> options(CacheOptions options) {
      this.options = Objects.requireNonNull(options, "options");
      return this;
    }

    /** Runs retries and second deletes; default: one daemon thread of its own. */
    public Builder<V> scheduler(Scheduler scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /** The delayed second delete; default none. {@link SecondDelete#fromLag} is recommended. */
    public Builder<V> secondDelete(SecondDelete secondDelete) {
      this.secondDelete = Objects.requireNonNull(secondDelete, "secondDelete");
      return this;
    }

    public VersionedCache<V> build() {
      return new VersionedCache<>(this);
    }
  }
}
