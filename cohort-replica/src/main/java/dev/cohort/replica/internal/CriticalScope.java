package dev.cohort.replica.internal;

import dev.cohort.replica.SyncGuarantee;

/** The open critical-write scope of a thread, for one cluster. */
public final class CriticalScope implements ConsistencyContext.CriticalState {
  private final Cluster cluster;
  private volatile SyncGuarantee guarantee;

  public CriticalScope(Cluster cluster) {
    this.cluster = cluster;
  }

  boolean covers(Cluster c) {
    return c == cluster;
  }

  /** Keeps the weakest guarantee seen on the scope's primary connections. */
  synchronized void record(SyncGuarantee g) {
    if (guarantee == null || guarantee.applyGuaranteed()) {
      guarantee = g;
    }
  }

  public SyncGuarantee guarantee() {
    SyncGuarantee g = guarantee;
    return g != null
        ? g
        : new SyncGuarantee(false, "none", "no primary connection was used in this scope");
  }
}
