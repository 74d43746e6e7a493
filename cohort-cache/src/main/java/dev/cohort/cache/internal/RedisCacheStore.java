package dev.cohort.cache.internal;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;

/** {@link CacheStore} on one Lettuce connection (thread-safe; commands are pipelined). */
public final class RedisCacheStore implements CacheStore {
  // Versions are the same length and start with their kind's letter, so comparing them as
  // strings compares the numbers; no Lua number (a double) ever holds one.
  private static final String FILL =
      """
      local cur = redis.call('GET', KEYS[1])
      if cur then
        local v = string.sub(cur, 2, 22)
        if string.sub(v, 1, 1) ~= string.sub(ARGV[1], 1, 1) then return 'kind:' .. cur end
        if string.sub(cur, 1, 1) == 'T' then
          if ARGV[1] < v then return 'stale:' .. cur end
        elseif ARGV[1] <= v then
          return 'kept:' .. cur
        end
      end
      redis.call('SET', KEYS[1], 'V' .. ARGV[1] .. '|' .. ARGV[2], 'PX', ARGV[3])
      return 'stored'
      """;

  // A value at the writer's version or later already shows the write; a later tombstone covers
  // it. Anything else (older, another kind, nothing) gets the tombstone.
  private static final String INVALIDATE =
      """
      local cur = redis.call('GET', KEYS[1])
      if cur then
        local v = string.sub(cur, 2, 22)
        if string.sub(v, 1, 1) == string.sub(ARGV[1], 1, 1) and ARGV[1] <= v then
          return 'kept:' .. cur
        end
      end
      redis.call('SET', KEYS[1], 'T' .. ARGV[1] .. '|' .. ARGV[2], 'PX', ARGV[3])
      return 'tombstoned'
      """;

  private final RedisCommands<String, String> redis;
  private volatile String fillSha;
  private volatile String invalidateSha;

  public RedisCacheStore(StatefulRedisConnection<String, String> connection) {
    this.redis = connection.sync();
  }

  @Override
  public String get(String key) {
    return redis.get(key);
  }

  @Override
  public String fill(String key, String version, String payload, long ttlMillis) {
    if (fillSha == null) {
      fillSha = redis.scriptLoad(FILL);
    }
    return run(FILL, fillSha, key, version, payload, Long.toString(ttlMillis));
  }

  @Override
  public String invalidate(String key, String version, String token, long ttlMillis) {
    if (invalidateSha == null) {
      invalidateSha = redis.scriptLoad(INVALIDATE);
    }
    return run(INVALIDATE, invalidateSha, key, version, token, Long.toString(ttlMillis));
  }

  private String run(String script, String sha, String key, String... args) {
    try {
      return redis.evalsha(sha, ScriptOutputType.VALUE, new String[] {key}, args);
    } catch (RedisNoScriptException e) {
      // The server lost its script cache (restart, SCRIPT FLUSH): send the text once more.
      return redis.eval(script, ScriptOutputType.VALUE, new String[] {key}, args);
    }
  }
}
