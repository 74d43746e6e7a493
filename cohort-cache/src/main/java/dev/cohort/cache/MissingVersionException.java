package dev.cohort.cache;

/** A fill came without the version its value was read at; nothing was written. */
public final class MissingVersionException extends CacheException {
  private final String key;

  public MissingVersionException(String key) {
    super(
        "fill of cache key '"
            + key
            + "' has no version; return Versioned.of(value, CacheVersion.row(...)) (or the LSN/GTID"
            + " it was read at) from the loader, so that a stale fill can be refused");
    this.key = key;
  }

  public String key() {
    return key;
  }
}
