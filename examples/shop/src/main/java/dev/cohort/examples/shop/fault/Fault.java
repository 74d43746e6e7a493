package dev.cohort.examples.shop.fault;

import java.util.Set;

/**
 * One armed fault.
 *
 * @param kind what to do
 * @param count how many matching calls it catches; 0 = every matching call until cleared
 * @param op the operation it catches ({@code try}, {@code confirm}, {@code cancel}, {@code action},
 *     {@code compensate}, {@code plain}), or null for any
 * @param millis how long LATENCY, TIMEOUT and CANCEL_BEFORE_TRY wait
 */
public record Fault(FaultKind kind, int count, String op, long millis) {
  static final Set<String> OPS =
      Set.of("try", "confirm", "cancel", "action", "compensate", "plain");

  public Fault {
    if (kind == null) {
      throw new IllegalArgumentException("a fault needs a kind (fail, latency, timeout, ...)");
    }
    if (count < 0) {
      throw new IllegalArgumentException("count must be 0 (every call) or more, got " + count);
    }
    String forced = kind.forcedOp();
    if (forced != null && op != null && !forced.equals(op)) {
      throw new IllegalArgumentException(
          kind.code() + " applies only to '" + forced + "' calls, not '" + op + "'");
    }
    op = forced != null ? forced : op;
    if (op != null && !OPS.contains(op)) {
      throw new IllegalArgumentException("unknown op '" + op + "'; use one of " + OPS);
    }
    if (millis < 0) {
      throw new IllegalArgumentException("millis must be 0 or more, got " + millis);
    }
    if (millis == 0) {
      millis = kind.defaultMillis();
    }
  }

  /**
   * Parses the config form {@code kind[:count[:op[:millis]]]}, e.g. {@code fail:2:confirm} or
   * {@code latency:0::50}.
   */
  public static Fault parse(String spec) {
    String[] p = spec.trim().split(":", -1);
    try {
      return new Fault(
          FaultKind.fromCode(p[0]),
          p.length > 1 && !p[1].isEmpty() ? Integer.parseInt(p[1]) : 1,
          p.length > 2 && !p[2].isEmpty() ? p[2] : null,
          p.length > 3 && !p[3].isEmpty() ? Long.parseLong(p[3]) : 0);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "fault '" + spec + "' is not kind[:count[:op[:millis]]], e.g. fail:2:confirm", e);
    }
  }
}
