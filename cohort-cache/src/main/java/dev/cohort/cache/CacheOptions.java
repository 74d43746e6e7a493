package dev.cohort.cache;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Settings of a {@link VersionedCache}; immutable, {@link #builder()} / {@link #toBuilder()}.
 *
 * @param namespace prefix of every Redis key ({@code <namespace>:<key>}), so that caches share a
 *     server
 * @param ttl how long a value lives: the backstop that ends any staleness the guards missed
 * @param tombstoneTtl how long an invalidation is remembered: longer than any read can take, so a
 *     slow reader's fill still meets the tombstone
 * @param retryInitial first wait before an invalidation that failed is tried again (doubling)
 * @param retryMax longest wait between two tries of an invalidation
 */
public record CacheOptions(
    String namespace,
    Duration ttl,
    Duration tombstoneTtl,
    Duration retryInitial,
    Duration retryMax) {
  public static final String DEFAULT_NAMESPACE = "cohort";
  public static final Duration DEFAULT_TTL = Duration.ofMinutes(10);
  public static final Duration DEFAULT_TOMBSTONE_TTL = Duration.ofMinutes(1);
  public static final Duration DEFAULT_RETRY_INITIAL = Duration.ofMillis(50);
  public static final Duration DEFAULT_RETRY_MAX = Duration.ofSeconds(5);

  private static final Pattern NAMESPACE = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

  public CacheOptions {
    if (namespace == null || !NAMESPACE.matcher(namespace).matches()) {
      throw new IllegalArgumentException(
          "cache namespace '" + namespace + "' must match " + NAMESPACE.pattern());
    }
    positive("ttl", ttl);
    positive("tombstoneTtl", tombstoneTtl);
    positive("retryInitial", retryInitial);
    positive("retryMax", retryMax);
    if (retryMax.compareTo(retryInitial) < 0) {
      throw new IllegalArgumentException(
          "retryMax " + retryMax + " is shorter than retryInitial " + retryInitial);
    }
  }

  private static void positive(String name, Duration d) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero() || d.toMillis() == 0) {
      throw new IllegalArgumentException(name + " must be at least 1 ms, got " + d);
    }
  }

  public static CacheOptions defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.namespace = namespace;
    b.ttl = ttl;
    b.tombstoneTtl = tombstoneTtl;
    b.retryInitial = retryInitial;
    b.retryMax = retryMax;
    return b;
  }

  /** Builds {@link CacheOptions}; every setting starts at its default. */
  public static final class Builder {
    private String namespace = DEFAULT_NAMESPACE;
    private Duration ttl = DEFAULT_TTL;
    private Duration tombstoneTtl = DEFAULT_TOMBSTONE_TTL;
    private Duration retryInitial = DEFAULT_RETRY_INITIAL;
    private Duration retryMax = DEFAULT_RETRY_MAX;

    private Builder() {}

    public Builder namespace(String namespace) {
      this.namespace = namespace;
      return this;
    }

    public Builder ttl(Duration ttl) {
      this.ttl = ttl;
      return this;
    }

    public Builder tombstoneTtl(Duration tombstoneTtl) {
      this.tombstoneTtl = tombstoneTtl;
      return this;
    }

    public Builder retry(Duration initial, Duration max) {
      this.retryInitial = initial;
      this.retryMax = max;
      return this;
    }

    public CacheOptions build() {
      return new CacheOptions(namespace, ttl, tombstoneTtl, retryInitial, retryMax);
    }
  }
}
