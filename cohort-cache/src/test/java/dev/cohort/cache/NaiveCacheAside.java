package dev.cohort.cache;

import dev.cohort.api.Scheduler;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * The classic recipe, as the seed describes it: read through the cache, on a miss load and SET;
 * after a write DEL, and DEL again after a fixed delay. No versions.
 */
final class NaiveCacheAside {
  private final RedisCommands<String, String> redis;
  private final String namespace;
  private final Scheduler scheduler;
  private final Duration secondDeleteDelay;

  NaiveCacheAside(
      RedisCommands<String, String> redis,
      String namespace,
      Scheduler scheduler,
      Duration secondDeleteDelay) {
    this.redis = redis;
    this.namespace = namespace;
    this.scheduler = scheduler;
    this.secondDeleteDelay = secondDeleteDelay;
  }

  String get(String key, Callable<String> loader) throws Exception {
    String cached = redis.get(namespace + ":" + key);
    if (cached != null) {
      return cached;
    }
    String loaded = loader.call();
    redis.set(namespace + ":" + key, loaded, SetArgs.Builder.px(600_000));
    return loaded;
  }

  String peek(String key) {
    return redis.get(namespace + ":" + key);
  }

  void invalidate(String key) {
    redis.del(namespace + ":" + key);
    scheduler.schedule(secondDeleteDelay, () -> redis.del(namespace + ":" + key));
  }
}
