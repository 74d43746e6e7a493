package dev.cohort.replica;

import java.time.Duration;
import java.util.Objects;

/**
 * How fresh a replica read must be. Writes and transactions go to the primary under every policy.
 */
public sealed interface ConsistencyPolicy
    permits ConsistencyPolicy.Eventual,
        ConsistencyPolicy.ReadYourWrites,
        ConsistencyPolicy.BoundedStaleness,
        ConsistencyPolicy.Primary {

  /** Any healthy replica in the rotation, however far behind. */
  ConsistencyPolicy EVENTUAL = new Eventual();

  /**
   * A replica that has applied the session's {@link ConsistencyToken}; else wait up to {@link
   * ReplicaOptions#maxWait()}; else the primary. The default.
   */
  ConsistencyPolicy READ_YOUR_WRITES = new ReadYourWrites();

  /** Every read on the primary. */
  ConsistencyPolicy PRIMARY = new Primary();

  /** A replica known to be at most {@code maxLag} behind the primary; else the primary. */
  static ConsistencyPolicy boundedStaleness(Duration maxLag) {
    return new BoundedStaleness(maxLag);
  }

  record Eventual() implements ConsistencyPolicy {
    @Override
    public String toString() {
      return "EVENTUAL";
    }
  }

  record ReadYourWrites() implements ConsistencyPolicy {
    @Override
    public String toString() {
      return "READ_YOUR_WRITES";
    }
  }

  record Primary() implements ConsistencyPolicy {
    @Override
    public String toString() {
      return "PRIMARY";
    }
  }

  record BoundedStaleness(Duration maxLag) implements ConsistencyPolicy {
    public BoundedStaleness {
      Objects.requireNonNull(maxLag, "maxLag");
      if (maxLag.isNegative() || maxLag.isZero()) {
        throw new IllegalArgumentException(
            "bounded staleness needs a positive maximum lag, got " + maxLag);
      }
    }

    @Override
    public String toString() {
      return "BOUNDED_STALENESS(" + maxLag + ")";
    }
  }
}
