package dev.cohort.messaging;

/** What reconciliation did, or could not do, about one stuck entity; stored as its code. */
public enum RepairKind {
  /** Finished what was left undone (e.g. payment succeeded but the order was not updated). */
  FORWARD("forward"),
  /** Undid what was done (e.g. the order was cancelled but the stock not restored). */
  BACKWARD("backward"),
  /** Did something else instead (e.g. refund automatically, send an apology coupon). */
  ALTERNATIVE("alternative"),
  /** The rule cannot tell what is right: an alert, for a person. */
  UNFIXABLE("unfixable"),
  /** The repair was chosen but threw; it is tried again on the next run, and alerted. */
  FAILED("failed");

  private final String code;

  RepairKind(String code) {
    this.code = code;
  }

  public String code() {
    return code;
  }

  public static RepairKind fromCode(String code) {
    for (RepairKind k : values()) {
      if (k.code.equals(code)) {
        return k;
      }
    }
    throw new IllegalArgumentException("unknown repair kind '" + code + "'");
  }
}
