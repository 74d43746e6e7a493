package dev.cohort.server.console.internal;

import dev.cohort.api.CohortException;
import dev.cohort.api.GlobalStatus;
import dev.cohort.coordinator.spi.ActivityBucket;
import dev.cohort.coordinator.spi.BranchSample;
import dev.cohort.coordinator.spi.GlobalRecord;
import dev.cohort.coordinator.spi.TransactionStore;
import dev.cohort.protocol.HttpTarget;
import dev.cohort.protocol.Operation;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The overview's figures, read from the log when the page is asked for: every node on the log sees
 * the same numbers. Each read is bounded by an index or a limit, so the page stays fast on a large
 * log.
 */
final class Overview {
  /** The charts cover this much recent time, in {@link #BUCKET} steps. */
  static final Duration WINDOW = Duration.ofHours(1);

  static final Duration BUCKET = Duration.ofMinutes(5);

  /** Error rates are computed over the branches of at most this many recent transactions. */
  static final int SAMPLE_TRANSACTIONS = 2_000;

  /** Transactions created in one bucket, by what became of them. */
  record Bucket(Instant start, long finished, long failed, long unfinished) {
    long total() {
      return finished + failed + unfinished;
    }
  }

  /** One participant's branches in the sample, and how many of them had failed calls. */
  record ParticipantRate(String participant, long branches, long withErrors, String lastError) {
    double rate() {
      return branches == 0 ? 0 : (double) withErrors / branches;
    }
  }

  record Figures(
      Map<GlobalStatus, Long> counts,
      List<Bucket> buckets,
      long createdInWindow,
      long failedInWindow,
      Optional<GlobalRecord> oldestUnfinished,
      List<ParticipantRate> participants,
      Instant now) {
    long backlog() {
      long n = 0;
      for (GlobalStatus s :
          List.of(
              GlobalStatus.BEGUN,
              GlobalStatus.COMMITTING,
              GlobalStatus.ROLLING_BACK,
              GlobalStatus.FAILED)) {
        n += counts.getOrDefault(s, 0L);
      }
      return n;
    }

    double failureRate() {
      return createdInWindow == 0 ? 0 : (double) failedInWindow / createdInWindow;
    }
  }

  private final TransactionStore store;
  private final Clock clock;

  Overview(TransactionStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  Figures figures() {
    Instant now = clock.instant();
    Instant since = now.minus(WINDOW);
    Map<Instant, long[]> byStart = new TreeMap<>();
    int n = (int) (WINDOW.toMillis() / BUCKET.toMillis());
    for (int i = 0; i < n; i++) {
      byStart.put(since.plus(BUCKET.multipliedBy(i)), new long[3]);
    }
    long created = 0;
    long failed = 0;
    for (ActivityBucket b : store.activity(since, BUCKET)) {
      long[] cell = byStart.computeIfAbsent(b.start(), k -> new long[3]);
      int column;
      if (b.status() == GlobalStatus.FAILED || b.status() == GlobalStatus.RESOLVED) {
        column = 1;
      } else if (b.status().isTerminal()) {
        column = 0;
      } else {
        column = 2;
      }
      cell[column] += b.count();
      created += b.count();
      if (column == 1) {
        failed += b.count();
      }
    }
    List<Bucket> buckets = new ArrayList<>();
    byStart.forEach((start, c) -> buckets.add(new Bucket(start, c[0], c[1], c[2])));
    return new Figures(
        new EnumMap<>(store.countByStatus()),
        buckets,
        created,
        failed,
        store.oldestUnfinished(),
        participants(store.branchSample(since, SAMPLE_TRANSACTIONS)),
        now);
  }

  /** Per participant (an HTTP branch's host and path, else the registered name), worst first. */
  static List<ParticipantRate> participants(List<BranchSample> sample) {
    Map<String, long[]> counts = new TreeMap<>();
    Map<String, String> lastErrors = new TreeMap<>();
    for (BranchSample b : sample) {
      String name = participantOf(b);
      long[] c = counts.computeIfAbsent(name, k -> new long[2]);
      c[0]++;
      if (b.attempts() > 0 || b.lastError() != null) {
        c[1]++;
        if (b.lastError() != null) {
          lastErrors.put(name, b.lastError());
        }
      }
    }
    List<ParticipantRate> rates = new ArrayList<>();
    counts.forEach(
        (name, c) -> rates.add(new ParticipantRate(name, c[0], c[1], lastErrors.get(name))));
    rates.sort((a, b) -> Double.compare(b.rate(), a.rate()));
    return rates;
  }

  static String participantOf(BranchSample b) {
    if (HttpTarget.PARTICIPANT.equals(b.participant())) {
      try {
        HttpTarget target = HttpTarget.decode(b.payload());
        Operation first =
            target.urls().containsKey(Operation.TRY) ? Operation.TRY : Operation.ACTION;
        URI url = target.url(first);
        return url.getAuthority() + url.getPath();
      } catch (CohortException | IllegalArgumentException e) {
        // not written by this server: grouped under its registered name below
      }
    }
    return b.participant();
  }
}
