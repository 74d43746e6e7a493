package dev.cohort.cache;

import dev.cohort.cache.internal.CacheStore;
import io.lettuce.core.RedisConnectionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The real Redis store behind a switch that makes the next invalidations fail as if Redis were
 * gone.
 */
final class FlakyStore implements CacheStore {
  private final CacheStore redis;
  private final AtomicInteger failNextInvalidations = new AtomicInteger();
  final AtomicInteger invalidateCalls = new AtomicInteger();

  FlakyStore(CacheStore redis) {
    this.redis = redis;
  }

  private volatile boolean down;

  /** Every call fails until {@link #up()}. */
  void down() {
    down = true;
  }

  void up() {
    down = false;
  }

  private void check() {
    if (down) {
      throw new RedisConnectionException("Redis is unreachable (injected by the test)");
    }
  }

  void failNextInvalidations(int n) {
    failNextInvalidations.set(n);
  }

  @Override
  public String get(String key) {
    check();
    return redis.get(key);
  }

  @Override
  public String fill(String key, String version, String payload, long ttlMillis) {
    check();
    return redis.fill(key, version, payload, ttlMillis);
  }

  @Override
  public String invalidate(String key, String version, String token, long ttlMillis) {
    invalidateCalls.incrementAndGet();
    if (failNextInvalidations.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      throw new RedisConnectionException("Redis is unreachable (injected by the test)");
    }
    return redis.invalidate(key, version, token, ttlMillis);
  }
}
