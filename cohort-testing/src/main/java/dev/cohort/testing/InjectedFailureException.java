package dev.cohort.testing;

import dev.cohort.api.BranchId;
import dev.cohort.api.Gid;
import dev.cohort.protocol.Operation;

/** The transient failure a {@link FaultInjector} answers instead of the wrapped participant. */
public final class InjectedFailureException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public InjectedFailureException(Operation op, Gid gid, BranchId branch, String why) {
    super("injected failure of " + op.code() + " " + gid + "/" + branch + ": " + why);
  }
}
