package dev.cohort.messaging;

import java.time.Instant;
import java.util.Optional;

/**
 * One thing an operator did with a dead letter, as {@link DeadLetters#actions} lists it.
 *
 * @param consumer the consumer whose parked message it was; null for the outbox
 * @param action what was done
 * @param reason the reason or note the operator gave; null when none
 */
public record DeadLetterAction(
    long id, String consumer, String messageId, Kind action, String reason, Instant at) {

  /** What an operator can do with a dead letter. */
  public enum Kind {
    /** An outbox message the relay gave up on, published again (DEAD → PENDING). */
    REQUEUED("requeued"),
    /** A parked message run through its handler again and applied (PARKED → APPLIED). */
    REPLAYED("replayed"),
    /** Dropped for good (outbox DEAD → DISCARDED, inbox PARKED → DISCARDED). */
    DISCARDED("discarded");

    private final String code;

    Kind(String code) {
      this.code = code;
    }

    /** The readable string stored in the table. */
    public String code() {
      return code;
    }

    public static Kind fromCode(String code) {
      for (Kind k : values()) {
        if (k.code.equals(code)) {
          return k;
        }
      }
      throw new IllegalArgumentException("unknown dead-letter action '" + code + "'");
    }
  }

  public Optional<String> inbox() {
    return Optional.ofNullable(consumer);
  }
}
