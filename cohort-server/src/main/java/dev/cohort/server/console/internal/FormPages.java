package dev.cohort.server.console.internal;

import dev.cohort.coordinator.spi.GlobalRecord;

/** The login form, an action's confirmation, and error pages. */
final class FormPages {
  private FormPages() {}

  static String login(String message) {
    Html h = new Html();
    h.raw("<div class=\"login\"><h1>Cohort console</h1>");
    if (message != null) {
      h.raw("<div class=\"error\" role=\"alert\" id=\"login-error\">").text(message).raw("</div>");
    }
    h.raw("<form method=\"post\" action=\"/console/login\" id=\"login\">")
        .raw("<label>API token <input type=\"password\" name=\"token\" id=\"token\"")
        .raw(" autocomplete=\"current-password\" required autofocus></label>")
        .raw("<button type=\"submit\">Log in</button></form>")
        .raw("<p class=\"hint\">")
        .text("The token the server was started with (--token or COHORT_TOKEN).")
        .raw("</p></div>");
    return h.toString();
  }

  static String confirm(
      Operations.Action action, GlobalRecord g, Sessions.Session session, String message) {
    Html h = new Html();
    h.raw("<h1>").text(action.label + "?").raw("</h1>");
    if (message != null) {
      h.raw("<div class=\"error\" role=\"alert\" id=\"confirm-error\">")
          .text(message)
          .raw("</div>");
    }
    h.raw("<p>")
        .text("Transaction ")
        .raw("<b>")
        .text(g.gid().value())
        .raw("</b> is ")
        .raw(Layout.status(g.status()))
        .raw(". ")
        .text(action.explanation)
        .raw("</p>");
    String base = "/console/transactions/" + ListPage.path(g.gid().value());
    h.raw("<form method=\"post\" class=\"confirm\" id=\"confirm\"")
        .attr("action", base + "/" + action.code)
        .raw(">");
    Layout.csrf(h, session);
    if (action == Operations.Action.RESOLVE) {
      h.raw("<label>Reason (required) <textarea name=\"reason\" id=\"reason\" required")
          .raw(" maxlength=\"" + Operations.MAX_REASON + "\" rows=\"3\"></textarea></label>");
    }
    h.raw("<button type=\"submit\" id=\"confirm-button\">")
        .text("Yes, " + action.label.toLowerCase(java.util.Locale.ROOT))
        .raw("</button> ")
        .link(base, "Cancel")
        .raw("</form>");
    return h.toString();
  }

  static String problem(String title, String message) {
    Html h = new Html();
    h.element("h1", title).raw("<div class=\"error\" role=\"alert\">").text(message).raw("</div>");
    h.raw("<p>").link("/console/transactions", "Back to the transactions").raw("</p>");
    return h.toString();
  }
}
