package dev.cohort.server.console.internal;

import dev.cohort.api.GlobalStatus;
import dev.cohort.coordinator.spi.AuditRecord;
import dev.cohort.coordinator.spi.GlobalRecord;
import java.util.List;

/** Throughput, failure rate, backlog, the oldest unfinished transaction, error rates. */
final class OverviewPage {
  private OverviewPage() {}

  static String body(Overview.Figures f, List<AuditRecord> recent) {
    Html h = new Html();
    h.raw("<h1>Overview</h1><div class=\"tiles\">");
    tile(
        h,
        "throughput",
        String.format(
            java.util.Locale.ROOT,
            "%.1f / min",
            f.createdInWindow() / (double) Overview.WINDOW.toMinutes()),
        "created in the last hour: " + f.createdInWindow());
    tile(
        h,
        "failure rate",
        Svg.percent(f.failureRate()),
        f.failedInWindow() + " of the last hour's became failed (or resolved by hand)");
    tile(
        h,
        "retry backlog",
        Long.toString(f.backlog()),
        f.counts().getOrDefault(GlobalStatus.FAILED, 0L)
            + " failed, waiting for an operator; the rest in delivery");
    GlobalRecord oldest = f.oldestUnfinished().orElse(null);
    h.raw("<section class=\"tile\" id=\"tile-oldest\"><h2>oldest unfinished</h2>");
    if (oldest == null) {
      h.raw("<p class=\"big\">").text("none").raw("</p>");
    } else {
      h.raw("<p class=\"big\">")
          .text(Layout.age(oldest.createdAt(), f.now()))
          .raw("</p><p>")
          .link(
              "/console/transactions/" + ListPage.path(oldest.gid().value()), oldest.gid().value())
          .raw(" ")
          .raw(Layout.status(oldest.status()))
          .raw("</p>");
    }
    h.raw("</section></div>");
    h.raw("<h2>Last hour, per 5 minutes</h2>")
        .raw("<p class=\"legend\"><span class=\"key ok\"></span>finished ")
        .raw("<span class=\"key bad\"></span>failed or resolved ")
        .raw("<span class=\"key busy\"></span>unfinished</p>")
        .raw(Svg.activity(f.buckets()));
    h.raw("<h2>Participants: branches with failed calls</h2>");
    if (f.participants().isEmpty()) {
      h.raw("<p class=\"empty\">").text("No branch in the last hour.").raw("</p>");
    } else {
      h.raw(Svg.rates(f.participants()));
      h.raw("<div class=\"scroll\"><table id=\"participants\"><thead><tr><th>participant</th>")
          .raw(
              "<th>branches</th><th>with failed calls</th><th>last error</th></tr></thead><tbody>");
      for (Overview.ParticipantRate r : f.participants()) {
        h.raw("<tr><td>")
            .link(
                "/console/transactions?participant=" + ListPage.path(r.participant()),
                r.participant())
            .raw("</td><td>")
            .text(Long.toString(r.branches()))
            .raw("</td><td>")
            .text(r.withErrors() + " (" + Svg.percent(r.rate()) + ")")
            .raw("</td><td class=\"reason\">")
            .text(r.lastError())
            .raw("</td></tr>");
      }
      h.raw("</tbody></table></div>");
    }
    h.raw("<h2>Recent operator actions</h2>");
    if (recent.isEmpty()) {
      h.raw("<p class=\"empty\">").text("None.").raw("</p>");
    } else {
      h.raw("<div class=\"scroll\"><table id=\"recent-audit\"><thead><tr><th>when</th>")
          .raw(
              "<th>transaction</th><th>action</th><th>result</th><th>who</th></tr></thead><tbody>");
      for (AuditRecord a : recent) {
        h.raw("<tr><td>")
            .text(Layout.time(a.at()))
            .raw("</td><td>")
            .link("/console/transactions/" + ListPage.path(a.gid().value()), a.gid().value())
            .raw("</td><td>")
            .text(a.action())
            .raw("</td><td>")
            .text(a.result())
            .raw("</td><td>")
            .text(a.actor())
            .raw("</td></tr>");
      }
      h.raw("</tbody></table></div>");
    }
    return h.toString();
  }

  private static void tile(Html h, String name, String value, String note) {
    h.raw("<section class=\"tile\"")
        .attr("id", "tile-" + name.replace(' ', '-'))
        .raw("><h2>")
        .text(name)
        .raw("</h2><p class=\"big\">")
        .text(value)
        .raw("</p><p>")
        .text(note)
        .raw("</p></section>");
  }
}
