package dev.cohort.cache;

/** A key holds versions of one kind (e.g. row versions) and was given another (an LSN). */
public final class VersionKindMismatchException extends CacheException {
  public VersionKindMismatchException(String key, CacheVersion stored, CacheVersion given) {
    super(
        "cache key '"
            + key
            + "' holds version "
            + stored
            + " but was given "
            + given
            + "; one key must always use one kind of version");
  }
}
