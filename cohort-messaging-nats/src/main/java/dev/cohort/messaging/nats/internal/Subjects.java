package dev.cohort.messaging.nats.internal;

import java.util.regex.Pattern;

/**
 * Destinations as NATS subjects: {@code <prefix>.<destination>}, all under the stream's one subject
 * {@code <prefix>.>}. A destination's dots separate subject tokens, so a destination with an empty
 * token ({@code a..b}, a leading or trailing dot) has no subject.
 */
public record Subjects(String prefix) {
  private static final Pattern TOKENS = Pattern.compile("[^.\\s*>#]+(\\.[^.\\s*>#]+)*");

  /** Tokens that may also be the wildcards {@code *} (one token) and {@code >} (the rest). */
  private static final Pattern FILTER =
      Pattern.compile("([^.\\s*>#]+|\\*)(\\.([^.\\s*>#]+|\\*))*(\\.>)?|>");

  public Subjects {
    if (prefix == null || !TOKENS.matcher(prefix).matches()) {
      throw new IllegalArgumentException(
          "subject prefix '"
              + prefix
              + "' must be NATS subject tokens without wildcards, e.g. 'cohort' or 'shop.events'");
    }
  }

  /** The stream's subject: every destination's subject. */
  public String all() {
    return prefix + ".>";
  }

  /** The subject a message to {@code destination} is published on, or null if it has none. */
  public String of(String destination) {
    return TOKENS.matcher(destination).matches() ? prefix + "." + destination : null;
  }

  /**
   * The filter subject of a subscribed destination, which may hold {@code *} and end in {@code >}.
   * A final RabbitMQ {@code #} is taken for {@code >}: on NATS it matches one or more tokens, not
   * zero or more ({@code orders.#} does not match {@code orders}).
   */
  public String filter(String destination) {
    if (destination != null && (destination.equals("#") || destination.endsWith(".#"))) {
      destination = destination.substring(0, destination.length() - 1) + ">";
    }
    if (destination == null || !FILTER.matcher(destination).matches()) {
      throw new IllegalArgumentException(
          "destination '"
              + destination
              + "' is not a NATS subject: tokens separated by dots, none empty, where '*' stands"
              + " for one token and a final '>' for the rest (e.g. 'orders.placed', 'orders.*')");
    }
    return prefix + "." + destination;
  }

  /** The destination of a delivery's subject. */
  public String destination(String subject) {
    return subject.startsWith(prefix + ".") ? subject.substring(prefix.length() + 1) : subject;
  }
}
