package dev.cohort.coordinator;

import dev.cohort.api.Gid;
import dev.cohort.api.GlobalStatus;
import dev.cohort.api.InvalidInputException;
import dev.cohort.api.Mode;
import dev.cohort.coordinator.spi.GlobalRecord;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;

/**
 * What an operator looks for in the log. Every criterion is optional; the results are ordered by
 * gid and paged with {@code after} (the last gid of the previous page).
 *
 * @param statuses any of these; empty means any status
 * @param mode only this mode; null means any
 * @param createdAfter only transactions created at or after this instant; null means unbounded
 * @param createdBefore only transactions created before this instant; null means unbounded
 * @param text found (ignoring case) in the gid, the reason or a branch's payload; null means any
 * @param limit page size, 1 to {@link #MAX_LIMIT}
 * @param after the page starts after this gid; null for the first page
 * @param participant found (ignoring case) in a branch's participant name or payload (for HTTP
 *     branches: their URLs); null means any
 * @param error found (ignoring case) in a branch's last error or the transaction's reason; null
 *     means any
 */
public record TransactionQuery(
    Set<GlobalStatus> statuses,
    Mode mode,
    Instant createdAfter,
    Instant createdBefore,
    String text,
    int limit,
    Gid after,
    String participant,
    String error) {
  public static final int MAX_LIMIT = 500;
  public static final int MAX_TEXT = 200;

  public TransactionQuery {
    statuses = statuses == null || statuses.isEmpty() ? Set.of() : Set.copyOf(statuses);
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new InvalidInputException(
          "limit must be between 1 and " + MAX_LIMIT + " but was " + limit);
    }
    if (text != null && text.isBlank()) {
      text = null;
    }
    text = checkText("search text", text);
    participant = checkText("participant text", participant);
    error = checkText("error text", error);
    if (createdAfter != null && createdBefore != null && createdBefore.isBefore(createdAfter)) {
      throw new InvalidInputException(
          "createdBefore " + createdBefore + " is earlier than createdAfter " + createdAfter);
    }
  }

  /** The criteria without participant and error text. */
  public TransactionQuery(
      Set<GlobalStatus> statuses,
      Mode mode,
      Instant createdAfter,
      Instant createdBefore,
      String text,
      int limit,
      Gid after) {
    this(statuses, mode, createdAfter, createdBefore, text, limit, after, null, null);
  }

  private static String checkText(String what, String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    if (value.length() > MAX_TEXT) {
      throw new InvalidInputException(
          what + " must be at most " + MAX_TEXT + " characters but had " + value.length());
    }
    return value;
  }

  /** Everything, first page of {@code limit}. */
  public static TransactionQuery all(int limit) {
    return new TransactionQuery(Set.of(), null, null, null, null, limit, null);
  }

  public TransactionQuery withStatuses(GlobalStatus first, GlobalStatus... rest) {
    return new TransactionQuery(
        EnumSet.of(first, rest),
        mode,
        createdAfter,
        createdBefore,
        text,
        limit,
        after,
        participant,
        error);
  }

  public TransactionQuery withMode(Mode value) {
    return new TransactionQuery(
        statuses, value, createdAfter, createdBefore, text, limit, after, participant, error);
  }

  public TransactionQuery withCreated(Instant from, Instant until) {
    return new TransactionQuery(
        statuses, mode, from, until, text, limit, after, participant, error);
  }

  public TransactionQuery withText(String value) {
    return new TransactionQuery(
        statuses, mode, createdAfter, createdBefore, value, limit, after, participant, error);
  }

  public TransactionQuery withParticipant(String value) {
    return new TransactionQuery(
        statuses, mode, createdAfter, createdBefore, text, limit, after, value, error);
  }

  public TransactionQuery withError(String value) {
    return new TransactionQuery(
        statuses, mode, createdAfter, createdBefore, text, limit, after, participant, value);
  }

  public TransactionQuery after(Gid value) {
    return new TransactionQuery(
        statuses, mode, createdAfter, createdBefore, text, limit, value, participant, error);
  }

  /** Whether a transaction matches every criterion but the text (stores match text themselves). */
  public boolean matchesRecord(GlobalRecord g) {
    return (statuses.isEmpty() || statuses.contains(g.status()))
        && (mode == null || mode.equals(g.mode()))
        && (createdAfter == null || !g.createdAt().isBefore(createdAfter))
        && (createdBefore == null || g.createdAt().isBefore(createdBefore))
        && (after == null || g.gid().compareTo(after) > 0);
  }
}
