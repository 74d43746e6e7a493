package dev.cohort.cache;

/** Turns values into the strings stored in Redis and back. */
public interface CacheCodec<V> {
  String encode(V value);

  V decode(String text);

  /** Strings as they are. */
  static CacheCodec<String> strings() {
    return new CacheCodec<>() {
      @Override
      public String encode(String value) {
        return value;
      }

      @Override
      public String decode(String text) {
        return text;
      }
    };
  }
}
