package dev.cohort.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RedisIT {
  @Test
  void setThenGetReturnsTheValueAndExpiryIsKept() {
    try (TestServices services = TestServices.load()) {
      RedisClient client = RedisClient.create(services.redisUri().toString());
      try (StatefulRedisConnection<String, String> connection = client.connect()) {
        RedisCommands<String, String> redis = connection.sync();
        String key = "cohort:smoke:" + UUID.randomUUID();
        redis.set(key, "value", io.lettuce.core.SetArgs.Builder.ex(60));

        assertThat(redis.get(key)).isEqualTo("value");
        assertThat(redis.ttl(key)).isBetween(1L, 60L);
        assertThat(redis.del(key)).isEqualTo(1L);
        assertThat(redis.get(key)).isNull();
      } finally {
        client.shutdown();
      }
    }
  }
}
