package dev.cohort.lock;

import java.util.Optional;

/**
 * A renew or release came with a lease that no longer owns the lock (it lapsed and someone else
 * took it, or it was released). Nothing was written.
 */
public final class LockNotHeldException extends RuntimeException {
  private final Lease lease;
  private final Optional<Lease> current;

  public LockNotHeldException(String operation, Lease lease, Optional<Lease> current) {
    super(
        operation
            + " of lock '"
            + lease.lock()
            + "' by "
            + lease.owner()
            + " with fencing token "
            + lease.fencingToken()
            + " refused: "
            + current
                .map(c ->
                    "it is held by "
                        + c.owner()
                        + " with fencing token "
                        + c.fencingToken()
                        + " until "
                        + c.expiresAt())
                .orElse("it is not held by that token any more")
            + "; acquire it again");
    this.lease = lease;
    this.current = current;
  }

  public Lease lease() {
    return lease;
  }

  /** The lease holding the lock now, if any. */
  public Optional<Lease> current() {
    return current;
  }
}
