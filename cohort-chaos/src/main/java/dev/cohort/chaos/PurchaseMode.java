package dev.cohort.chaos;

import java.util.Objects;

/**
 * A way the system runs a purchase.
 *
 * @param name the name used in the workload mix and the report, e.g. {@code tcc}
 * @param coordinated whether a coordinator runs it as a global transaction under the purchase's
 *     gid; the coordinator-based invariants (terminal, answers kept, exactly once) look only at
 *     coordinated purchases, an uncoordinated mode (plain sequential calls) is judged by the
 *     system's own invariants
 */
public record PurchaseMode(String name, boolean coordinated) {
  public PurchaseMode {
    Objects.requireNonNull(name, "name");
    if (!name.matches("[A-Za-z0-9._-]{1,32}")) {
      throw new IllegalArgumentException(
          "a purchase mode name is 1-32 characters [A-Za-z0-9._-], was '" + name + "'");
    }
  }

  public static PurchaseMode coordinated(String name) {
    return new PurchaseMode(name, true);
  }

  public static PurchaseMode uncoordinated(String name) {
    return new PurchaseMode(name, false);
  }
}
