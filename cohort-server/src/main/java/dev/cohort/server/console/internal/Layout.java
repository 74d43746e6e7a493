package dev.cohort.server.console.internal;

import dev.cohort.api.GlobalStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

/** The frame every page shares: head, navigation with live counts, the logout form. */
final class Layout {
  private Layout() {}

  /**
   * A whole page around {@code body} (markup built with {@link Html}). {@code session} is null on
   * the login page, which has no navigation.
   */
  static String page(
      String title, Sessions.Session session, Map<GlobalStatus, Long> counts, String body) {
    Html h = new Html();
    h.raw("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">")
        .raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        .raw("<title>")
        .text(title + " · Cohort console")
        .raw("</title><link rel=\"stylesheet\" href=\"/console/static/console.css\">")
        .raw("<script src=\"/console/static/console.js\" defer></script></head><body>");
    if (session != null) {
      h.raw("<header><nav><a class=\"brand\" href=\"/console/overview\">Cohort</a>")
          .raw("<a href=\"/console/overview\">Overview</a>")
          .raw("<a href=\"/console/transactions\">Transactions</a>")
          .raw("<span class=\"who\" id=\"who\">")
          .text(
              session.principal().tokenId()
                  + " · "
                  + session.principal().role().code()
                  + (session.canAct() ? "" : " (read only)"))
          .raw("</span>")
          .raw("<form method=\"post\" action=\"/console/logout\" class=\"logout\">");
      csrf(h, session);
      h.raw("<button type=\"submit\">Log out</button></form></nav>");
      counts(h, counts);
      h.raw("</header>");
    }
    h.raw("<main>").raw(body).raw("</main></body></html>");
    return h.toString();
  }

  /** The live counts strip; console.js refreshes it from {@code /console/counts}. */
  private static void counts(Html h, Map<GlobalStatus, Long> counts) {
    h.raw("<ul class=\"counts\" id=\"counts\">");
    for (GlobalStatus s : GlobalStatus.values()) {
      h.raw("<li><a")
          .attr("href", "/console/transactions?status=" + s.code())
          .raw(" class=\"st-" + s.code() + "\">")
          .text(s.code().replace('_', ' '))
          .raw(" <b")
          .attr("data-count", s.code())
          .raw(">")
          .text(Long.toString(counts.getOrDefault(s, 0L)))
          .raw("</b></a></li>");
    }
    h.raw("</ul>");
  }

  static void csrf(Html h, Sessions.Session session) {
    h.raw("<input type=\"hidden\" name=\"csrf\"").attr("value", session.csrf()).raw(">");
  }

  static String status(GlobalStatus s) {
    return "<span class=\"badge st-" + s.code() + "\">" + Html.escape(s.code()) + "</span>";
  }

  static String time(Instant at) {
    return at == null ? "–" : at.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  /** {@code 3m 12s ago}, for ages at a glance. */
  static String age(Instant at, Instant now) {
    if (at == null) {
      return "";
    }
    Duration d = Duration.between(at, now);
    if (d.isNegative()) {
      return "in " + span(d.negated());
    }
    return span(d) + " ago";
  }

  static String span(Duration d) {
    long s = d.toSeconds();
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return s / 60 + "m " + s % 60 + "s";
    }
    if (s < 86_400) {
      return s / 3600 + "h " + s % 3600 / 60 + "m";
    }
    return s / 86_400 + "d " + s % 86_400 / 3600 + "h";
  }
}
