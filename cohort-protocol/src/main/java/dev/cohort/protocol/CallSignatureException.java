package dev.cohort.protocol;

/** A coordinator call was refused by {@link CallSignature#verify}; {@link #reason()} says why. */
public class CallSignatureException extends RuntimeException {
  /** Why a call was refused, with the HTTP status a participant answers. */
  public enum Reason {
    UNSIGNED(401),
    MALFORMED(400),
    UNKNOWN_KEY(403),
    FORGED(403),
    STALE(403),
    REPLAYED(403);

    private final int httpStatus;

    Reason(int httpStatus) {
      this.httpStatus = httpStatus;
    }

    public int httpStatus() {
      return httpStatus;
    }
  }

  private final Reason reason;

  public CallSignatureException(Reason reason, String message) {
    super(reason + ": " + message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
