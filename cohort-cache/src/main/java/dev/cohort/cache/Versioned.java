package dev.cohort.cache;

/**
 * A value and the version it was read at, as a {@link Loader} returns it.
 *
 * @param value the value; never null (return null from the loader for "no such row")
 * @param version the version the value was read at; a fill without one is refused
 */
public record Versioned<V>(V value, CacheVersion version) {
  public static <V> Versioned<V> of(V value, CacheVersion version) {
    return new Versioned<>(value, version);
  }
}
