package dev.cohort.server.console.internal;

import dev.cohort.api.BranchStatus;
import dev.cohort.api.CohortException;
import dev.cohort.api.GlobalStatus;
import dev.cohort.api.Mode;
import dev.cohort.coordinator.TransactionView;
import dev.cohort.coordinator.spi.AttemptRecord;
import dev.cohort.coordinator.spi.AuditRecord;
import dev.cohort.coordinator.spi.BranchRecord;
import dev.cohort.coordinator.spi.GlobalRecord;
import dev.cohort.protocol.HttpTarget;
import dev.cohort.protocol.Operation;
import dev.cohort.protocol.v1.ParticipantOutcome;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One transaction: its facts and decision, the actions its status allows, its branches (for a saga
 * also as a step diagram), a timeline and the audit trail.
 */
final class TransactionPage {
  private TransactionPage() {}

  /** One moment on the timeline. */
  private record Event(Instant at, String what) {}

  static String body(
      TransactionView view,
      List<AttemptRecord> attempts,
      List<AuditRecord> audit,
      String flash,
      boolean flashOk,
      boolean canAct,
      Instant now) {
    GlobalRecord g = view.global();
    List<BranchRecord> branches = new ArrayList<>(view.branches());
    branches.sort(Comparator.comparingInt(BranchRecord::seq));
    Html h = new Html();
    h.raw("<h1 class=\"gid\">")
        .text(g.gid().value())
        .raw(" ")
        .raw(Layout.status(g.status()))
        .raw("</h1>");
    if (flash != null) {
      h.raw("<div role=\"status\" id=\"flash\" class=\"" + (flashOk ? "notice" : "error") + "\">")
          .text(flash)
          .raw("</div>");
    }
    facts(h, g, now);
    if (canAct) {
      actions(h, g);
    } else {
      h.raw("<p class=\"read-only\" id=\"read-only\">")
          .text("Read only: log in with an operator token to retry, resolve or abort.")
          .raw("</p>");
    }
    if (Mode.SAGA.equals(g.mode())) {
      steps(h, branches);
    }
    branches(h, branches);
    attempts(h, attempts);
    timeline(h, g, attempts, audit);
    auditTable(h, audit);
    return h.toString();
  }

  /**
   * What the coordinator decided: nothing while the outcome is open; a failed transaction keeps the
   * decision of the phase it failed in; a resolved one was settled by hand.
   */
  static String decision(GlobalStatus status, GlobalStatus resume) {
    // The rule a participant's outcome query answers with; the page only words the "none".
    String decided = ParticipantOutcome.decision(status, resume);
    if (decided != null) {
      return decided;
    }
    return switch (status) {
      case RESOLVED -> "settled by hand";
      case BEGUN -> "not yet (tries or saga steps running)";
      case OPEN -> "not yet (open: registering branches)";
      default -> "none recorded"; // FAILED before any decision
    };
  }

  private static void facts(Html h, GlobalRecord g, Instant now) {
    h.raw("<dl class=\"facts\">");
    fact(h, "mode", g.mode().code());
    fact(h, "decision", decision(g.status(), g.resumeStatus()));
    fact(h, "created", Layout.time(g.createdAt()) + " (" + Layout.age(g.createdAt(), now) + ")");
    fact(h, "last change", Layout.time(g.updatedAt()));
    fact(h, "deadline", Layout.time(g.deadline()));
    fact(h, "delivery rounds failed", Integer.toString(g.attempts()));
    if (!g.status().isTerminal()) {
      fact(
          h,
          "next attempt",
          Layout.time(g.nextAttemptAt()) + " (" + Layout.age(g.nextAttemptAt(), now) + ")");
      fact(h, "owner", g.owner() + " until " + Layout.time(g.leaseUntil()));
    }
    if (g.reason() != null) {
      fact(h, "reason", g.reason());
    }
    h.raw("</dl>");
  }

  private static void fact(Html h, String name, String value) {
    h.element("dt", name).element("dd", value);
  }

  /** The buttons lead to a confirmation page; the engine checks the status again when it runs. */
  private static void actions(Html h, GlobalRecord g) {
    List<Operations.Action> allowed = new ArrayList<>();
    GlobalStatus s = g.status();
    if (!s.isTerminal() && s != GlobalStatus.OPEN) {
      allowed.add(Operations.Action.RETRY);
    }
    if (s == GlobalStatus.FAILED) {
      allowed.add(Operations.Action.RESOLVE);
    }
    if (s == GlobalStatus.OPEN) {
      allowed.add(Operations.Action.ABORT);
    }
    if (allowed.isEmpty()) {
      return;
    }
    h.raw("<p class=\"actions\">");
    for (Operations.Action a : allowed) {
      h.raw("<a class=\"button\"")
          .attr("id", "action-" + a.code)
          .attr(
              "href",
              "/console/transactions/"
                  + ListPage.path(g.gid().value())
                  + "/confirm?action="
                  + a.code)
          .raw(">")
          .text(a.label)
          .raw("</a> ");
    }
    h.raw("</p>");
  }

  /** A saga's steps in order: what ran forward, what was compensated, what never ran. */
  private static void steps(Html h, List<BranchRecord> branches) {
    h.raw("<h2>Steps</h2><ol class=\"steps\" id=\"steps\">");
    for (BranchRecord b : branches) {
      String what =
          switch (b.status()) {
            case SUCCEEDED -> "ran";
            // A refused step is compensated too (its refusal may race with work it did), so the
            // log cannot say whether it ran: only that it was undone.
            case COMPENSATED -> "compensated";
            case SKIPPED -> "never ran";
            case REFUSED -> "refused";
            case REGISTERED -> b.attempts() > 0 ? "failing" : "pending";
            default -> b.status().code();
          };
      h.raw("<li class=\"step br-" + b.status().code() + "\"><b>")
          .text(b.branchId().value())
          .raw("</b><span>")
          .text(what)
          .raw("</span>");
      if (b.status() == BranchStatus.COMPENSATED) {
        h.raw("<span class=\"undo\" title=\"compensated\">↩</span>");
      }
      h.raw("</li>");
    }
    h.raw("</ol>");
  }

  private static void branches(Html h, List<BranchRecord> branches) {
    h.raw("<h2>Branches</h2>");
    if (branches.isEmpty()) {
      h.raw("<p class=\"empty\">").text("No branch registered.").raw("</p>");
      return;
    }
    h.raw("<div class=\"scroll\"><table id=\"branches\"><thead><tr><th>#</th><th>branch</th>")
        .raw("<th>participant</th><th>status</th><th>failed calls</th><th>last error</th>")
        .raw("</tr></thead><tbody>");
    for (BranchRecord b : branches) {
      h.raw("<tr><td>")
          .text(Integer.toString(b.seq()))
          .raw("</td><td>")
          .text(b.branchId().value())
          .raw("</td><td class=\"urls\">");
      participant(h, b);
      h.raw("</td><td><span class=\"badge br-" + b.status().code() + "\">")
          .text(b.status().code())
          .raw("</span></td><td>")
          .text(Integer.toString(b.attempts()))
          .raw("</td><td class=\"reason\">")
          .text(b.lastError())
          .raw("</td></tr>");
    }
    h.raw("</tbody></table></div>");
  }

  /** Every call the log still keeps, oldest first: the last few per branch and operation. */
  private static void attempts(Html h, List<AttemptRecord> attempts) {
    h.raw("<h2>Attempts</h2>");
    if (attempts.isEmpty()) {
      h.raw("<p class=\"empty\">").text("No call to a participant recorded yet.").raw("</p>");
      return;
    }
    h.raw("<div class=\"scroll\"><table id=\"attempts\"><thead><tr><th>when</th>")
        .raw("<th>branch</th><th>operation</th><th>#</th><th>outcome</th><th>HTTP</th>")
        .raw("<th>took</th><th>error</th></tr></thead><tbody>");
    for (AttemptRecord a : attempts) {
      h.raw("<tr><td>")
          .text(Layout.time(a.at()))
          .raw("</td><td>")
          .text(a.branchId().value())
          .raw("</td><td>")
          .text(a.operation())
          .raw("</td><td>")
          .text(Integer.toString(a.attempt()))
          .raw("</td><td><span class=\"badge at-" + a.outcome().code() + "\">")
          .text(a.outcome().code())
          .raw("</span></td><td>")
          .text(a.httpStatus() < 0 ? "—" : Integer.toString(a.httpStatus()))
          .raw("</td><td>")
          .text(took(a.took()))
          .raw("</td><td class=\"reason\">")
          .text(a.error())
          .raw("</td></tr>");
    }
    h.raw("</tbody></table></div>")
        .raw("<p class=\"hint\">")
        .text(
            "The log keeps the last calls of each branch and operation (a newer call replaces"
                + " the oldest); HTTP shows the participant's answer when a call failed.")
        .raw("</p>");
  }

  static String took(Duration d) {
    long micros = d.toNanos() / 1_000;
    return micros < 10_000
        ? String.format(Locale.ROOT, "%.1f ms", micros / 1_000.0)
        : (micros / 1_000) + " ms";
  }

  private static void participant(Html h, BranchRecord b) {
    if (HttpTarget.PARTICIPANT.equals(b.participant())) {
      try {
        HttpTarget t = HttpTarget.decode(b.payload());
        for (Map.Entry<Operation, URI> e : t.urls().entrySet()) {
          h.raw("<div>").text(e.getKey().code() + " " + e.getValue()).raw("</div>");
        }
        return;
      } catch (CohortException e) {
        // not written by this server: shown as the log holds it
      }
    }
    h.text(b.participant());
  }

  /**
   * Creation, the start of the current delivery phase and the last change, the calls the attempt
   * history keeps, and every operator action from the audit trail.
   */
  private static void timeline(
      Html h, GlobalRecord g, List<AttemptRecord> attempts, List<AuditRecord> audit) {
    List<Event> events = new ArrayList<>();
    for (AttemptRecord a : attempts) {
      events.add(
          new Event(
              a.at(),
              a.operation()
                  + " "
                  + a.branchId().value()
                  + " (attempt "
                  + a.attempt()
                  + ") "
                  + a.outcome().code()));
    }
    events.add(new Event(g.createdAt(), "created (" + g.mode().code() + ")"));
    if (g.phaseStartedAt() != null && !g.phaseStartedAt().equals(g.createdAt())) {
      events.add(new Event(g.phaseStartedAt(), "delivery phase started"));
    }
    for (AuditRecord a : audit) {
      events.add(new Event(a.at(), "operator: " + a.action() + " → " + a.result()));
    }
    if (g.updatedAt() != null && !g.updatedAt().equals(g.createdAt())) {
      events.add(new Event(g.updatedAt(), "became " + g.status().code()));
    }
    events.sort(Comparator.comparing(Event::at));
    h.raw("<h2>Timeline</h2><ol class=\"timeline\" id=\"timeline\">");
    for (Event e : events) {
      h.raw("<li><time>").text(Layout.time(e.at())).raw("</time> ").text(e.what()).raw("</li>");
    }
    h.raw("</ol>");
  }

  private static void auditTable(Html h, List<AuditRecord> audit) {
    h.raw("<h2>Operator actions</h2>");
    if (audit.isEmpty()) {
      h.raw("<p class=\"empty\">").text("None.").raw("</p>");
      return;
    }
    h.raw("<div class=\"scroll\"><table id=\"audit\"><thead><tr><th>when</th><th>who</th>")
        .raw("<th>action</th><th>reason</th><th>result</th></tr></thead><tbody>");
    for (AuditRecord a : audit) {
      h.raw("<tr><td>")
          .text(Layout.time(a.at()))
          .raw("</td><td>")
          .text(a.actor())
          .raw("</td><td>")
          .text(a.action())
          .raw("</td><td class=\"reason\">")
          .text(a.detail())
          .raw("</td><td>")
          .text(a.result())
          .raw("</td></tr>");
    }
    h.raw("</tbody></table></div>");
  }
}
