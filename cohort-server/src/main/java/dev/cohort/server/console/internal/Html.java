package dev.cohort.server.console.internal;

/**
 * Builds HTML text. Everything that did not come from this class's own literals goes through {@link
 * #text} (element content) or {@link #attr} (attribute values), so a gid, reason or error
 * containing markup is shown as text, never run.
 */
final class Html {
  private final StringBuilder out = new StringBuilder(4096);

  /** Escapes the five characters HTML gives meaning to; safe in content and quoted attributes. */
  static String escape(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder b = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      String rep =
          switch (c) {
            case '<' -> "&lt;";
            case '>' -> "&gt;";
            case '&' -> "&amp;";
            case '"' -> "&quot;";
            case '\'' -> "&#39;";
            default -> null;
          };
      if (rep != null) {
        if (b == null) {
          b = new StringBuilder(s.length() + 16).append(s, 0, i);
        }
        b.append(rep);
      } else if (b != null) {
        b.append(c);
      }
    }
    return b == null ? s : b.toString();
  }

  /** Appends markup written in this package's code; never pass user data here. */
  Html raw(String markup) {
    out.append(markup);
    return this;
  }

  /** Appends text, escaped. */
  Html text(String s) {
    out.append(escape(s));
    return this;
  }

  /** Appends a quoted attribute: {@code name="value"} with the value escaped. */
  Html attr(String name, String value) {
    out.append(' ').append(name).append("=\"").append(escape(value)).append('"');
    return this;
  }

  /** {@code <tag>text</tag>} with the text escaped. */
  Html element(String tag, String s) {
    out.append('<').append(tag).append('>').append(escape(s)).append("</").append(tag).append('>');
    return this;
  }

  Html link(String href, String s) {
    raw("<a").attr("href", href).raw(">").text(s).raw("</a>");
    return this;
  }

  @Override
  public String toString() {
    return out.toString();
  }
}
