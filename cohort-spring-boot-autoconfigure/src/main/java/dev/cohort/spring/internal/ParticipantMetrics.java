package dev.cohort.spring.internal;

/** Where participant calls are counted; Micrometer when it is present, else nowhere. */
interface ParticipantMetrics {
  ParticipantMetrics NONE = (endpoint, op, status, nanos) -> {};

  void record(String endpoint, String op, int status, long nanos);
}
