package dev.cohort.spring.internal;

import dev.cohort.api.Mode;

/** Where global transactions begun by annotation are counted; Micrometer when present. */
interface TransactionMetrics {
  TransactionMetrics NONE = (mode, outcome, nanos) -> {};

  void finished(Mode mode, String outcome, long nanos);
}
