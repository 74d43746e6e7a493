package dev.cohort.server.internal;

import dev.cohort.api.CohortException;
import dev.cohort.api.Outcome;
import dev.cohort.coordinator.TransactionView;
import dev.cohort.coordinator.spi.AttemptRecord;
import dev.cohort.coordinator.spi.BranchRecord;
import dev.cohort.coordinator.spi.GlobalRecord;
import dev.cohort.protocol.HttpTarget;
import dev.cohort.protocol.v1.AttemptDetail;
import dev.cohort.protocol.v1.BranchDetail;
import dev.cohort.protocol.v1.OutcomeBody;
import dev.cohort.protocol.v1.ParticipantOutcome;
import dev.cohort.protocol.v1.TimelineEvent;
import dev.cohort.protocol.v1.TransactionDetail;
import dev.cohort.protocol.v1.TransactionPage;
import dev.cohort.protocol.v1.TransactionSummary;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The engine's records as the protocol's bodies (docs/protocol.md); the router writes them. */
public final class Views {
  private Views() {}

  public static OutcomeBody outcome(Outcome outcome) {
    return OutcomeBody.of(outcome);
  }

  public static TransactionSummary summary(GlobalRecord g) {
    return new TransactionSummary(
        g.gid().value(),
        g.mode().code(),
        g.status().code(),
        g.reason(),
        time(g.createdAt()),
        time(g.updatedAt()));
  }

  /** One page of the list; {@code next} is set when the page is full. */
  public static TransactionPage page(List<GlobalRecord> page, int limit) {
    List<TransactionSummary> summaries = new ArrayList<>(page.size());
    for (GlobalRecord g : page) {
      summaries.add(summary(g));
    }
    String next = page.size() == limit ? page.get(page.size() - 1).gid().value() : null;
    return new TransactionPage(summaries, next);
  }

  /**
   * A transaction with its branches, each with the calls {@code attempts} holds for it (the log's
   * attempt history, oldest first).
   */
  public static TransactionDetail transaction(TransactionView view, List<AttemptRecord> attempts) {
    GlobalRecord g = view.global();
    List<BranchRecord> sorted = new ArrayList<>(view.branches());
    sorted.sort(Comparator.comparingInt(BranchRecord::seq));
    Map<String, List<AttemptDetail>> history = new HashMap<>();
    List<AttemptRecord> inOrder = new ArrayList<>(attempts);
    inOrder.sort(
        Comparator.comparing(AttemptRecord::at)
            .thenComparing(AttemptRecord::operation)
            .thenComparingInt(AttemptRecord::attempt));
    for (AttemptRecord a : inOrder) {
      history.computeIfAbsent(a.branchId().value(), k -> new ArrayList<>()).add(attempt(a));
    }
    List<BranchDetail> branches = new ArrayList<>(sorted.size());
    for (BranchRecord b : sorted) {
      branches.add(
          branch(b).withAttemptHistory(history.getOrDefault(b.branchId().value(), List.of())));
    }
    List<TimelineEvent> timeline = new ArrayList<>();
    for (Event e : timeline(g)) {
      timeline.add(new TimelineEvent(time(e.at()), e.event()));
    }
    return new TransactionDetail(
        g.gid().value(),
        g.mode().code(),
        g.status().code(),
        g.reason(),
        g.parallel(),
        time(g.createdAt()),
        time(g.updatedAt()),
        time(g.deadline()),
        g.attempts(),
        time(g.nextAttemptAt()),
        g.owner(),
        time(g.leaseUntil()),
        branches,
        timeline);
  }

  /** {@code {gid, status, decision, final}} for a participant asking what became of its gid. */
  public static ParticipantOutcome outcomeForParticipant(GlobalRecord g) {
    return ParticipantOutcome.of(g.gid(), g.status(), g.resumeStatus());
  }

  private static AttemptDetail attempt(AttemptRecord a) {
    long micros = a.took().toNanos() / 1_000;
    return new AttemptDetail(
        a.operation(),
        a.attempt(),
        time(a.at()),
        micros / 1_000.0,
        a.outcome().code(),
        a.httpStatus() < 0 ? null : a.httpStatus(),
        a.error());
  }

  private static BranchDetail branch(BranchRecord b) {
    String id = b.branchId().value();
    String status = b.status().code();
    if (HttpTarget.PARTICIPANT.equals(b.participant())) {
      try {
        return BranchDetail.http(
            id,
            b.seq(),
            status,
            b.attempts(),
            b.lastError(),
            HttpTarget.decode(b.payload()),
            b.forward());
      } catch (CohortException e) {
        // Not written by this server; fall through and show it as the log holds it.
      }
    }
    return BranchDetail.inProcess(
        id, b.seq(), status, b.attempts(), b.lastError(), b.participant(), b.payload());
  }

  /** One moment the log's timestamps reveal. */
  record Event(Instant at, String event) {}

  /**
   * The log keeps timestamps, not a history, so the timeline is what they reveal: creation, the
   * start of the current delivery phase, and the last change (named by the status it produced).
   */
  static List<Event> timeline(GlobalRecord g) {
    List<Event> events = new ArrayList<>();
    events.add(new Event(g.createdAt(), "created"));
    if (g.phaseStartedAt() != null && !g.phaseStartedAt().equals(g.createdAt())) {
      events.add(new Event(g.phaseStartedAt(), "delivery_started"));
    }
    if (g.updatedAt() != null && !g.updatedAt().equals(g.createdAt())) {
      events.add(new Event(g.updatedAt(), g.status().code()));
    }
    events.sort(Comparator.comparing(Event::at));
    return events;
  }

  static String time(Instant instant) {
    return instant == null ? null : instant.toString();
  }
}
