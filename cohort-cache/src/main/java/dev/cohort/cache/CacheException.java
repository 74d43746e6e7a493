package dev.cohort.cache;

/** A cache operation failed; the message names the key and the values involved. */
public class CacheException extends RuntimeException {
  public CacheException(String message) {
    super(message);
  }

  public CacheException(String message, Throwable cause) {
    super(message, cause);
  }
}
