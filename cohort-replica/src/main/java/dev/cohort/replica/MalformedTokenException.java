package dev.cohort.replica;

/** A consistency token string that does not follow {@link ConsistencyToken#EXPECTED_FORMAT}. */
public final class MalformedTokenException extends IllegalArgumentException {
  private final String token;

  public MalformedTokenException(String token, String problem) {
    super(
        "malformed consistency token '"
            + token
            + "': "
            + problem
            + "; expected "
            + ConsistencyToken.EXPECTED_FORMAT);
    this.token = token;
  }

  /** The rejected text. */
  public String token() {
    return token;
  }
}
