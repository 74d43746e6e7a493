package dev.cohort.messaging;

import java.time.Instant;

/** One line of the reconciliation journal: what was found about one entity and what was done. */
public record ReconciliationRecord(
    String rule, String entity, RepairKind kind, String detail, Instant at) {}
