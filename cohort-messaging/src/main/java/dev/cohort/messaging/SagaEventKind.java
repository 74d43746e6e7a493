package dev.cohort.messaging;

/** What an event type means to a choreographed saga; the tracker is told per type. */
public enum SagaEventKind {
  /** The saga began (e.g. "order.placed"). */
  STARTED("started", SagaStatus.RUNNING),
  /** A forward step succeeded (e.g. "payment.done"). */
  STEP("step", SagaStatus.RUNNING),
  /** A step failed; compensation begins (e.g. "stock.failed"). */
  FAILED("failed", SagaStatus.COMPENSATING),
  /** A compensation ran (e.g. "payment.refunded"). */
  COMPENSATION("compensation", SagaStatus.COMPENSATING),
  /** The last forward step: the saga succeeded (e.g. "order.shipped"). */
  COMPLETED("completed", SagaStatus.COMPLETED),
  /** The last compensation: the saga is undone (e.g. "order.cancelled"). */
  COMPENSATED("compensated", SagaStatus.COMPENSATED);

  private final String code;
  private final SagaStatus leadsTo;

  SagaEventKind(String code, SagaStatus leadsTo) {
    this.code = code;
    this.leadsTo = leadsTo;
  }

  public String code() {
    return code;
  }

  /** The saga's status after an event of this kind. */
  public SagaStatus leadsTo() {
    return leadsTo;
  }

  public static SagaEventKind fromCode(String code) {
    for (SagaEventKind k : values()) {
      if (k.code.equals(code)) {
        return k;
      }
    }
    throw new IllegalArgumentException("unknown saga event kind '" + code + "'");
  }
}
