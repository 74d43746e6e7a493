package dev.cohort.lock;

/**
 * A write protected by a lease lock came with a fencing token lower than one a later holder already
 * wrote with: its lease is gone. Nothing was written.
 */
public final class StaleFencingTokenException extends RuntimeException {
  private final String resource;
  private final Object id;
  private final long token;
  private final long storedToken;

  public StaleFencingTokenException(String resource, Object id, long token, long storedToken) {
    super(
        resource
            + " "
            + id
            + ": fencing token "
            + token
            + " is lower than the stored "
            + storedToken
            + "; a later lock holder has written, so this writer's lease is gone");
    this.resource = resource;
    this.id = id;
    this.token = token;
    this.storedToken = storedToken;
  }

  public String resource() {
    return resource;
  }

  public Object id() {
    return id;
  }

  public long token() {
    return token;
  }

  public long storedToken() {
    return storedToken;
  }
}
