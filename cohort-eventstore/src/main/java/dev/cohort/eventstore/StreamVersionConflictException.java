package dev.cohort.eventstore;

/**
 * An append expected the stream at another version than it is: someone else appended since the
 * caller read it. Nothing was written.
 */
public final class StreamVersionConflictException extends RuntimeException {
  private final String streamId;
  private final long expectedVersion;
  private final long actualVersion;

  public StreamVersionConflictException(String streamId, long expectedVersion, long actualVersion) {
    super(
        "stream '"
            + streamId
            + "': expected version "
            + expectedVersion
            + " but it is at "
            + actualVersion
            + "; read the stream again and decide again");
    this.streamId = streamId;
    this.expectedVersion = expectedVersion;
    this.actualVersion = actualVersion;
  }

  public String streamId() {
    return streamId;
  }

  public long expectedVersion() {
    return expectedVersion;
  }

  public long actualVersion() {
    return actualVersion;
  }
}
