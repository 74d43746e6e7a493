package dev.cohort.server.console.internal;

import dev.cohort.api.GlobalStatus;
import dev.cohort.coordinator.spi.GlobalRecord;
import dev.cohort.protocol.ModeContract;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The transaction list with its search form; bad fields are listed above the form. */
final class ListPage {
  private ListPage() {}

  static String body(
      SearchForm form, List<GlobalRecord> rows, Collection<ModeContract> modes, Instant now) {
    Html h = new Html();
    h.raw("<h1>Transactions</h1>");
    if (!form.errors.isEmpty()) {
      h.raw("<div class=\"error\" role=\"alert\" id=\"search-errors\"><p>")
          .text("The search was not run:")
          .raw("</p><ul>");
      for (String e : form.errors) {
        h.element("li", e);
      }
      h.raw("</ul></div>");
    }
    form(h, form, modes);
    if (rows == null) {
      return h.toString();
    }
    if (rows.isEmpty()) {
      h.raw("<p class=\"empty\">").text("No transaction matches.").raw("</p>");
      return h.toString();
    }
    h.raw("<div class=\"scroll\"><table class=\"list\" id=\"transactions\"><thead><tr>")
        .raw("<th>gid</th><th>mode</th><th>status</th><th>created</th><th>reason</th>")
        .raw("</tr></thead><tbody>");
    for (GlobalRecord g : rows) {
      h.raw("<tr")
          .attr("data-gid", g.gid().value())
          .raw("><td>")
          .link("/console/transactions/" + path(g.gid().value()), g.gid().value())
          .raw("</td><td>")
          .text(g.mode().code())
          .raw("</td><td>")
          .raw(Layout.status(g.status()))
          .raw("</td><td")
          .attr("title", Layout.time(g.createdAt()))
          .raw(">")
          .text(Layout.age(g.createdAt(), now))
          .raw("</td><td class=\"reason\">")
          .text(g.reason())
          .raw("</td></tr>");
    }
    h.raw("</tbody></table></div>");
    if (rows.size() == SearchForm.PAGE_SIZE) {
      Map<String, String> next = new TreeMap<>(form.values);
      next.put("after", rows.get(rows.size() - 1).gid().value());
      h.raw("<p class=\"more\">")
          .link("/console/transactions?" + query(next), "Next page →")
          .raw("</p>");
    }
    return h.toString();
  }

  private static void form(Html h, SearchForm form, Collection<ModeContract> modes) {
    h.raw("<form method=\"get\" action=\"/console/transactions\" class=\"search\" id=\"search\">");
    h.raw("<label>status <select name=\"status\"><option value=\"\">any</option>");
    for (GlobalStatus s : GlobalStatus.values()) {
      h.raw("<option").attr("value", s.code());
      if (form.value("status").equals(s.code())) {
        h.raw(" selected");
      }
      h.raw(">").text(s.code()).raw("</option>");
    }
    h.raw("</select></label><label>mode <select name=\"mode\"><option value=\"\">any</option>");
    for (ModeContract c : modes) {
      String code = c.mode().code();
      h.raw("<option").attr("value", code);
      if (form.value("mode").equals(code)) {
        h.raw(" selected");
      }
      h.raw(">").text(code).raw("</option>");
    }
    h.raw("</select></label>");
    input(h, form, "olderThan", "e.g. 10m");
    input(h, form, "newerThan", "e.g. 2h");
    input(h, form, "text", "order-42");
    input(h, form, "participant", "host or URL");
    input(h, form, "error", "text of an error");
    h.raw("<button type=\"submit\">Search</button></form>");
  }

  private static void input(Html h, SearchForm form, String field, String placeholder) {
    h.raw("<label>")
        .text(SearchForm.label(field))
        .raw(" <input type=\"text\"")
        .attr("name", field)
        .attr("value", form.value(field))
        .attr("placeholder", placeholder)
        .raw("></label>");
  }

  static String path(String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
  }

  static String query(Map<String, String> params) {
    StringBuilder b = new StringBuilder();
    params.forEach((k, v) -> {
      if (!v.isEmpty()) {
        if (b.length() > 0) {
          b.append('&');
        }
        b.append(URLEncoder.encode(k, StandardCharsets.UTF_8))
            .append('=')
            .append(URLEncoder.encode(v, StandardCharsets.UTF_8));
      }
    });
    return b.toString();
  }
}
