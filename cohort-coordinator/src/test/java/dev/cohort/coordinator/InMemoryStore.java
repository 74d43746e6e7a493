package dev.cohort.coordinator;

import dev.cohort.api.Gid;
import dev.cohort.api.GlobalStatus;
import dev.cohort.coordinator.spi.AttemptRecord;
import dev.cohort.coordinator.spi.BranchRecord;
import dev.cohort.coordinator.spi.ClaimRequest;
import dev.cohort.coordinator.spi.GlobalRecord;
import dev.cohort.coordinator.spi.LogUnit;
import dev.cohort.coordinator.spi.StoredTransaction;
import dev.cohort.coordinator.spi.TransactionStore;
import dev.cohort.coordinator.spi.WriteResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/** A log in memory with the same guard semantics as the JDBC one; for fast engine tests. */
public final class InMemoryStore implements TransactionStore {
  private final Map<Gid, GlobalRecord> globals = new LinkedHashMap<>();
  private final Map<Gid, List<BranchRecord>> branches = new LinkedHashMap<>();
  private final List<AttemptRecord> attempts = new ArrayList<>();
  private final Map<Gid, Integer> writes = new HashMap<>();

  @Override
  public void open() {}

  private Predicate<LogUnit> interceptWhen;
  private Runnable interception;

  /**
   * Runs {@code action} once, just before the first unit matching {@code when} is applied: how a
   * test puts a concurrent request exactly between another request's read and its write.
   */
  public synchronized void beforeWrite(Predicate<LogUnit> when, Runnable action) {
    this.interceptWhen = when;
    this.interception = action;
  }

  @Override
  public synchronized CompletableFuture<WriteResult> write(LogUnit unit) {
    writes.merge(unit.gid(), 1, Integer::sum);
    if (interception != null && interceptWhen.test(unit)) {
      Runnable action = interception;
      interception = null;
      action.run();
    }
    switch (unit.guard()) {
      case LogUnit.Insert insert -> {
        if (globals.containsKey(insert.global().gid())) {
          return CompletableFuture.completedFuture(WriteResult.DUPLICATE);
        }
        globals.put(insert.global().gid(), insert.global());
        branches.put(insert.global().gid(), new ArrayList<>(insert.branches()));
      }
      case LogUnit.Cas cas -> {
        GlobalRecord current = globals.get(cas.updated().gid());
        if (current == null || !cas.holdsFor(current.status(), current.attempts())) {
          return CompletableFuture.completedFuture(WriteResult.CONFLICT);
        }
        globals.put(current.gid(), cas.updated());
      }
    }
    List<BranchRecord> list = branches.get(unit.gid());
    for (LogUnit.BranchWrite w : unit.branchWrites()) {
      if (w instanceof LogUnit.InsertBranch insert) {
        list.add(insert.branch());
        continue;
      }
      if (w instanceof LogUnit.RecordAttempt recorded) {
        attempts.add(recorded.attempt());
        continue;
      }
      for (int i = 0; i < list.size(); i++) {
        BranchRecord b = list.get(i);
        switch (w) {
          case LogUnit.UpdateBranch u -> {
            if (b.branchId().equals(u.updated().branchId()) && b.status() == u.expected()) {
              list.set(i, u.updated());
            }
          }
          case LogUnit.AdvanceBranches a -> {
            if (b.status() == a.from()) {
              list.set(i, b.withStatus(a.to()));
            }
          }
          case LogUnit.InsertBranch unused -> {}
          case LogUnit.RecordAttempt unused -> {}
        }
      }
    }
    return CompletableFuture.completedFuture(WriteResult.APPLIED);
  }

  /** How many units for {@code gid} were handed to this log (applied or not). */
  public synchronized int writes(Gid gid) {
    return writes.getOrDefault(gid, 0);
  }

  /** Every attempt written, in order; this log keeps them all. */
  @Override
  public synchronized List<AttemptRecord> attempts(Gid gid) {
    return attempts.stream().filter(a -> a.gid().equals(gid)).toList();
  }

  @Override
  public synchronized Optional<StoredTransaction> load(Gid gid) {
    GlobalRecord g = globals.get(gid);
    return g == null ? Optional.empty() : Optional.of(new StoredTransaction(g, branches.get(gid)));
  }

  @Override
  public synchronized int renewLeases(String owner, List<Gid> gids, Instant until) {
    int renewed = 0;
    for (Gid gid : gids) {
      GlobalRecord g = globals.get(gid);
      if (g != null
          && g.owner().equals(owner)
          && unfinished(g.status())
          && g.status() != GlobalStatus.OPEN) {
        Instant next = g.nextAttemptAt().isBefore(until) ? until : g.nextAttemptAt();
        globals.put(gid, g.withOwner(owner, until).withSchedule(next, until, g.attempts()));
        renewed++;
      }
    }
    return renewed;
  }

  private static boolean unfinished(GlobalStatus s) {
    return s == GlobalStatus.OPEN
        || s == GlobalStatus.BEGUN
        || s == GlobalStatus.COMMITTING
        || s == GlobalStatus.ROLLING_BACK;
  }

  @Override
  public synchronized List<StoredTransaction> claim(ClaimRequest r) {
    List<StoredTransaction> claimed = new ArrayList<>();
    List<GlobalRecord> candidates = new ArrayList<>(globals.values());
    candidates.sort(Comparator.comparing(GlobalRecord::nextAttemptAt));
    for (GlobalRecord g : candidates) {
      if (claimed.size() >= r.limit()) {
        break;
      }
      boolean unfinished =
          g.status() == GlobalStatus.OPEN
              || g.status() == GlobalStatus.BEGUN
              || g.status() == GlobalStatus.COMMITTING
              || g.status() == GlobalStatus.ROLLING_BACK;
      boolean due = !g.nextAttemptAt().isAfter(r.now());
      boolean own =
          g.owner().equals(r.owner())
              && ((r.ownRegardlessOfTime() && g.status() != GlobalStatus.OPEN) || due);
      boolean free = due && !g.leaseUntil().isAfter(r.now());
      if (unfinished && (own || free)) {
        Instant next =
            g.nextAttemptAt().isBefore(r.leaseUntil()) ? r.leaseUntil() : g.nextAttemptAt();
        GlobalRecord leased =
            g.withOwner(r.owner(), r.leaseUntil()).withSchedule(next, r.leaseUntil(), g.attempts());
        globals.put(g.gid(), leased);
        claimed.add(new StoredTransaction(leased, branches.get(g.gid())));
      }
    }
    return claimed;
  }

  @Override
  public synchronized List<GlobalRecord> findByStatus(GlobalStatus status, int limit) {
    return globals.values().stream().filter(g -> g.status() == status).limit(limit).toList();
  }

  @Override
  public synchronized List<GlobalRecord> search(TransactionQuery query) {
    String text = query.text() == null ? null : query.text().toLowerCase(Locale.ROOT);
    return globals.values().stream()
        .filter(query::matchesRecord)
        .filter(g -> text == null || mentions(g, text))
        .filter(g -> query.participant() == null || callsParticipant(g, lower(query.participant())))
        .filter(g -> query.error() == null || hasError(g, lower(query.error())))
        .sorted(Comparator.comparing(GlobalRecord::gid))
        .limit(query.limit())
        .toList();
  }

  private static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }

  private boolean callsParticipant(GlobalRecord g, String text) {
    return branches.get(g.gid()).stream()
        .anyMatch(b ->
            lower(b.participant()).contains(text)
                || (b.payload() != null && lower(b.payload()).contains(text)));
  }

  private boolean hasError(GlobalRecord g, String text) {
    return (g.reason() != null && lower(g.reason()).contains(text))
        || branches.get(g.gid()).stream()
            .anyMatch(b -> b.lastError() != null && lower(b.lastError()).contains(text));
  }

  private boolean mentions(GlobalRecord g, String text) {
    if (g.gid().value().toLowerCase(Locale.ROOT).contains(text)
        || (g.reason() != null && g.reason().toLowerCase(Locale.ROOT).contains(text))) {
      return true;
    }
    return branches.get(g.gid()).stream()
        .anyMatch(b -> b.payload() != null && b.payload().toLowerCase(Locale.ROOT).contains(text));
  }

  @Override
  public synchronized Map<GlobalStatus, Long> countByStatus() {
    Map<GlobalStatus, Long> counts = new EnumMap<>(GlobalStatus.class);
    for (GlobalRecord g : globals.values()) {
      counts.merge(g.status(), 1L, Long::sum);
    }
    return counts;
  }

  @Override
  public synchronized int purgeFinished(Instant finishedBefore, int limit) {
    List<Gid> old =
        globals.values().stream()
            .filter(g ->
                (g.status() == GlobalStatus.COMMITTED
                        || g.status() == GlobalStatus.ROLLED_BACK
                        || g.status() == GlobalStatus.RESOLVED)
                    && g.updatedAt().isBefore(finishedBefore))
            .map(GlobalRecord::gid)
            .limit(limit)
            .toList();
    for (Gid gid : old) {
      globals.remove(gid);
      branches.remove(gid);
    }
    return old.size();
  }

  @Override
  public void close() {}
}
