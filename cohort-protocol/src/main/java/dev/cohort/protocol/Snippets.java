package dev.cohort.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;

/** Short, single-line excerpts of untrusted text for exception messages. */
public final class Snippets {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Snippets() {}

  /** At most {@code max} characters of {@code text}, whitespace runs folded to one space. */
  public static String of(String text, int max) {
    if (text == null) {
      return "";
    }
    String oneLine = text.strip().replaceAll("\\s+", " ");
    return oneLine.length() <= max ? oneLine : oneLine.substring(0, max) + "...";
  }

  /**
   * The {@code message} field when {@code text} is a JSON object that has one (what {@link
   * dev.cohort.participant.ParticipantEndpoint} answers), else the text itself; then shortened.
   */
  public static String message(String text, int max) {
    if (text != null && text.startsWith("{")) {
      try {
        JsonNode node = JSON.readTree(text);
        if (node != null && node.path("message").isTextual()) {
          return of(node.path("message").asText(), max);
        }
      } catch (java.io.IOException e) {
        // Not JSON after all: show the text.
      }
    }
    return of(text, max);
  }

  /** A URL without its query and user info, which may hold secrets; for messages. */
  public static String url(URI url) {
    StringBuilder b = new StringBuilder();
    b.append(url.getScheme()).append("://").append(url.getHost());
    if (url.getPort() >= 0) {
      b.append(':').append(url.getPort());
    }
    b.append(url.getRawPath() == null ? "" : url.getRawPath());
    return b.toString();
  }
}
