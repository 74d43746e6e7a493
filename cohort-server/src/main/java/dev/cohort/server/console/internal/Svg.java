package dev.cohort.server.console.internal;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/** Inline SVG charts: no script, no library, scaled by the browser to the page's width. */
final class Svg {
  private static final DateTimeFormatter HOUR_MINUTE =
      DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC);

  private Svg() {}

  /** Stacked bars per bucket: finished, failed, unfinished. */
  static String activity(List<Overview.Bucket> buckets) {
    int width = 600;
    int height = 160;
    int base = height - 20;
    long max = 1;
    for (Overview.Bucket b : buckets) {
      max = Math.max(max, b.total());
    }
    double slot = (double) width / Math.max(1, buckets.size());
    Html h = new Html();
    h.raw("<svg class=\"chart\" role=\"img\" viewBox=\"0 0 ")
        .raw(width + " " + height)
        .raw("\" preserveAspectRatio=\"none\"><title>")
        .text("transactions created per 5 minutes, by what became of them")
        .raw("</title>");
    for (int i = 0; i < buckets.size(); i++) {
      Overview.Bucket b = buckets.get(i);
      double x = i * slot + 2;
      double w = slot - 4;
      double y = base;
      y = bar(h, x, y, w, b.finished(), max, base - 10, "ok", b, "finished");
      y = bar(h, x, y, w, b.failed(), max, base - 10, "bad", b, "failed or resolved");
      bar(h, x, y, w, b.unfinished(), max, base - 10, "busy", b, "unfinished");
      if (i % 3 == 0) {
        h.raw("<text x=\"" + fmt(x) + "\" y=\"" + (height - 5) + "\" class=\"axis\">")
            .text(HOUR_MINUTE.format(b.start()))
            .raw("</text>");
      }
    }
    h.raw("<text x=\"2\" y=\"10\" class=\"axis\">").text("max " + max).raw("</text>");
    return h.raw("</svg>").toString();
  }

  private static double bar(
      Html h,
      double x,
      double bottom,
      double w,
      long n,
      long max,
      int span,
      String css,
      Overview.Bucket b,
      String what) {
    if (n == 0) {
      return bottom;
    }
    double hgt = Math.max(1, (double) n * span / max);
    double top = bottom - hgt;
    h.raw("<rect class=\"" + css + "\" x=\"" + fmt(x) + "\" y=\"" + fmt(top) + "\" width=\"")
        .raw(fmt(w) + "\" height=\"" + fmt(hgt) + "\"><title>")
        .text(HOUR_MINUTE.format(b.start()) + ": " + n + " " + what)
        .raw("</title></rect>");
    return top;
  }

  /** One horizontal bar per participant: the share of its branches with failed calls. */
  static String rates(List<Overview.ParticipantRate> rates) {
    int rowHeight = 22;
    int width = 600;
    int height = Math.max(rowHeight, rates.size() * rowHeight);
    Html h = new Html();
    h.raw("<svg class=\"chart\" role=\"img\" viewBox=\"0 0 " + width + " " + height + "\">")
        .raw("<title>")
        .text("share of branches with failed calls, per participant")
        .raw("</title>");
    for (int i = 0; i < rates.size(); i++) {
      Overview.ParticipantRate r = rates.get(i);
      int y = i * rowHeight;
      // The bar leaves room after it for its label.
      double w = Math.max(1, r.rate() * (width - 320));
      h.raw("<rect class=\"" + (r.withErrors() > 0 ? "bad" : "ok") + "\" x=\"220\" y=\"")
          .raw(y + 3 + "\" width=\"" + fmt(w) + "\" height=\"" + (rowHeight - 6) + "\"/>")
          .raw("<text class=\"axis\" x=\"0\" y=\"" + (y + 15) + "\">")
          .text(
              r.participant().length() > 34
                  ? r.participant().substring(0, 34) + "…"
                  : r.participant())
          .raw("</text><text class=\"axis\" x=\"")
          .raw(fmt(226 + w) + "\" y=\"" + (y + 15) + "\">")
          .text(percent(r.rate()) + " of " + r.branches())
          .raw("</text>");
    }
    return h.raw("</svg>").toString();
  }

  static String percent(double rate) {
    return String.format(Locale.ROOT, "%.1f %%", rate * 100);
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }
}
