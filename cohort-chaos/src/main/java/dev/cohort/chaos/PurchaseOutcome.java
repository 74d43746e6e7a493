package dev.cohort.chaos;

/** What the caller of one purchase learned. */
public enum PurchaseOutcome {
  COMMITTED("committed"),
  ROLLED_BACK("rolled_back"),
  /** No answer or an error: the caller does not know the outcome. */
  FAILED("failed");

  private final String code;

  PurchaseOutcome(String code) {
    this.code = code;
  }

  public String code() {
    return code;
  }
}
