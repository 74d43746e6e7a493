package dev.cohort.chaos;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What an {@link Invariant} checks: every purchase of the run with its final status. */
public final class RunRecord {
  private final List<Purchase> purchases;
  private final Map<String, Purchase> byGid;

  public RunRecord(List<Purchase> purchases) {
    this.purchases = List.copyOf(purchases);
    Map<String, Purchase> index = new LinkedHashMap<>();
    for (Purchase p : this.purchases) {
      index.put(p.gid(), p);
    }
    this.byGid = Collections.unmodifiableMap(index);
  }

  public List<Purchase> purchases() {
    return purchases;
  }

  public Optional<Purchase> purchase(String gid) {
    return Optional.ofNullable(byGid.get(gid));
  }
}
