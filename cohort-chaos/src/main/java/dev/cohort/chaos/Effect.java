package dev.cohort.chaos;

import java.util.Objects;

/**
 * One business effect a participant applied: a try, confirm, cancel, action or compensate that
 * changed data (a call the barrier skipped as a duplicate is not an effect).
 *
 * @param op the operation code of the protocol: {@code try}, {@code confirm}, {@code cancel},
 *     {@code action}, {@code compensate}
 */
public record Effect(String gid, String branchId, String op) {
  public Effect {
    Objects.requireNonNull(gid, "gid");
    Objects.requireNonNull(branchId, "branchId");
    Objects.requireNonNull(op, "op");
  }
}
