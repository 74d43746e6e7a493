package dev.cohort.coordinator.spi;

import dev.cohort.api.Gid;
import java.time.Instant;
import java.util.Objects;

/**
 * One operator action as the log's audit trail keeps it: who did what to which transaction, and
 * what came of it. Written before the answer goes back to the operator, so an action that changed a
 * transaction is never missing from the trail.
 *
 * @param at when the action was taken
 * @param actor who took it, as the caller identified them (e.g. the console session and address)
 * @param action what was asked: {@code retry}, {@code resolve}, {@code abort}
 * @param gid the transaction it was taken on
 * @param detail what the operator gave with it (the reason of a resolve); null when nothing
 * @param result what came of it: the status the transaction had afterwards, or the refusal
 */
public record AuditRecord(
    Instant at, String actor, String action, Gid gid, String detail, String result) {
  /** Longest stored actor, action or result; longer values are cut (the detail is not). */
  public static final int MAX_SHORT = 200;

  public AuditRecord {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(gid, "gid");
    actor = cut(Objects.requireNonNull(actor, "actor"));
    action = cut(Objects.requireNonNull(action, "action"));
    result = cut(Objects.requireNonNull(result, "result"));
  }

  private static String cut(String s) {
    return s.length() > MAX_SHORT ? s.substring(0, MAX_SHORT) : s;
  }
}
