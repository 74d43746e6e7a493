package dev.cohort.chaos.internal;

import dev.cohort.chaos.PurchaseOutcome;

/** One purchase as its caller saw it. */
public record Attempt(String gid, String mode, PurchaseOutcome answer, String error) {}
