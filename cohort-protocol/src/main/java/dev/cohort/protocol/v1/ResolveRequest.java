package dev.cohort.protocol.v1;

/** {@code POST /v1/transactions/{gid}/resolve}: how the failed transaction was settled. */
public record ResolveRequest(String reason) {}
