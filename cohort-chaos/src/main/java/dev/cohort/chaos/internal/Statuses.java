package dev.cohort.chaos.internal;

import dev.cohort.api.GlobalStatus;
import java.util.EnumSet;
import java.util.Set;

/** Which coordinator statuses end a transaction for the checker. */
public final class Statuses {
  private static final Set<GlobalStatus> TERMINAL =
      EnumSet.of(GlobalStatus.COMMITTED, GlobalStatus.ROLLED_BACK, GlobalStatus.RESOLVED);

  private Statuses() {}

  /** FAILED is not terminal: it waits for an operator, so a run that leaves one is not quiet. */
  public static boolean terminal(String code) {
    return code != null && TERMINAL.contains(GlobalStatus.fromCode(code));
  }

  /** The status codes of transactions still under way, as the list API's filter wants them. */
  public static String nonTerminalCodes() {
    StringBuilder codes = new StringBuilder();
    for (GlobalStatus s : GlobalStatus.values()) {
      if (!TERMINAL.contains(s)) {
        codes.append(codes.isEmpty() ? "" : ",").append(s.code());
      }
    }
    return codes.toString();
  }
}
