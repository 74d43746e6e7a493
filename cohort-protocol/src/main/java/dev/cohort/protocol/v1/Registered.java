package dev.cohort.protocol.v1;

/** The answer to registering a branch. */
public record Registered(String gid, String branchId, String status) {}
