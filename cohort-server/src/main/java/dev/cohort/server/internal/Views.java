package dev.cohort.server.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cohort.api.CohortException;
import dev.cohort.api.GlobalStatus;
import dev.cohort.api.Outcome;
import dev.cohort.coordinator.TransactionView;
import dev.cohort.coordinator.spi.BranchRecord;
import dev.cohort.coordinator.spi.GlobalRecord;
import dev.cohort.protocol.HttpTarget;
import dev.cohort.protocol.v1.BranchJson;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Renders the engine's records as the JSON bodies of docs/protocol.md. */
public final class Views {
  private Views() {}

  public static ObjectNode outcome(Outcome outcome) {
    ObjectNode node = Body.JSON.createObjectNode();
    node.put("gid", outcome.gid().value());
    node.put("status", outcome.status().code());
    node.put("reason", outcome.reason());
    return node;
  }

  public static ObjectNode summary(GlobalRecord g) {
    ObjectNode node = Body.JSON.createObjectNode();
    node.put("gid", g.gid().value());
    node.put("mode", g.mode().code());
    node.put("status", g.status().code());
    node.put("reason", g.reason());
    node.put("createdAt", time(g.createdAt()));
    node.put("updatedAt", time(g.updatedAt()));
    return node;
  }

  public static ObjectNode transaction(TransactionView view) {
    GlobalRecord g = view.global();
    ObjectNode node = Body.JSON.createObjectNode();
    node.put("gid", g.gid().value());
    node.put("mode", g.mode().code());
    node.put("status", g.status().code());
    node.put("reason", g.reason());
    node.put("parallel", g.parallel());
    node.put("createdAt", time(g.createdAt()));
    node.put("updatedAt", time(g.updatedAt()));
    node.put("deadline", time(g.deadline()));
    node.put("attempts", g.attempts());
    node.put("nextAttemptAt", time(g.nextAttemptAt()));
    node.put("owner", g.owner());
    node.put("leaseUntil", time(g.leaseUntil()));
    ArrayNode branches = node.putArray("branches");
    List<BranchRecord> sorted = new ArrayList<>(view.branches());
    sorted.sort(Comparator.comparingInt(BranchRecord::seq));
    for (BranchRecord b : sorted) {
      branches.add(branch(b));
    }
    ArrayNode timeline = node.putArray("timeline");
    for (Event e : timeline(g)) {
      ObjectNode entry = timeline.addObject();
      entry.put("at", time(e.at()));
      entry.put("event", e.event());
    }
    return node;
  }

  /** {@code {gid, status, decision, final}} for a participant asking what became of its gid. */
  public static ObjectNode outcomeForParticipant(GlobalRecord g) {
    ObjectNode node = Body.JSON.createObjectNode();
    node.put("gid", g.gid().value());
    node.put("status", g.status().code());
    node.put("decision", decision(g.status(), g.resumeStatus()));
    node.put("final", g.status().isTerminal());
    return node;
  }

  /**
   * What the coordinator decided: null while the outcome is open. A FAILED transaction keeps the
   * decision of the phase it failed in; a RESOLVED one was settled by hand, so there is none to
   * report.
   */
  static String decision(GlobalStatus status, GlobalStatus resume) {
    return switch (status) {
      case COMMITTING, COMMITTED -> "commit";
      case ROLLING_BACK, ROLLED_BACK -> "rollback";
      case FAILED -> resume == null ? null : decision(resume, null);
      default -> null;
    };
  }

  private static ObjectNode branch(BranchRecord b) {
    ObjectNode node = Body.JSON.createObjectNode();
    node.put("branchId", b.branchId().value());
    node.put("seq", b.seq());
    node.put("status", b.status().code());
    node.put("attempts", b.attempts());
    node.put("lastError", b.lastError());
    if (HttpTarget.PARTICIPANT.equals(b.participant())) {
      try {
        BranchJson.writeTarget(node, HttpTarget.decode(b.payload()), b.forward());
        return node;
      } catch (CohortException e) {
        // Not written by this server; fall through and show it as the log holds it.
      }
    }
    node.put("participant", b.participant());
    node.put("payload", b.payload());
    return node;
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
