package dev.cohort.lock;

import java.util.OptionalLong;

/**
 * A version-checked update found another version than it expected: someone else changed (or
 * deleted) the row since it was read. Nothing was written.
 */
public final class OptimisticLockException extends RuntimeException {
  private final String entity;
  private final Object id;
  private final long expectedVersion;
  private final OptionalLong actualVersion;

  public OptimisticLockException(
      String entity, Object id, long expectedVersion, OptionalLong actualVersion) {
    super(
        entity
            + " "
            + id
            + ": expected version "
            + expectedVersion
            + " but "
            + (actualVersion.isPresent()
                ? "found version " + actualVersion.getAsLong()
                : "the row no longer exists")
            + "; read it again and retry (OptimisticRetry does)");
    this.entity = entity;
    this.id = id;
    this.expectedVersion = expectedVersion;
    this.actualVersion = actualVersion;
  }

  public String entity() {
    return entity;
  }

  public Object id() {
    return id;
  }

  public long expectedVersion() {
    return expectedVersion;
  }

  /** The version found, empty when the row is gone. */
  public OptionalLong actualVersion() {
    return actualVersion;
  }
}
