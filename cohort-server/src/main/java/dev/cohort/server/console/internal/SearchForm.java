package dev.cohort.server.console.internal;

import dev.cohort.api.Gid;
import dev.cohort.api.GlobalStatus;
import dev.cohort.api.InvalidInputException;
import dev.cohort.api.Mode;
import dev.cohort.coordinator.TransactionQuery;
import dev.cohort.protocol.ModeContract;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The list page's search fields, checked one by one. A bad field never reaches the log: it becomes
 * a message naming the field, the value and what would be accepted, and the page shows it.
 */
final class SearchForm {
  static final int PAGE_SIZE = 50;
  static final Set<String> FIELDS =
      Set.of("status", "mode", "olderThan", "newerThan", "text", "participant", "error", "after");

  /** An age: a whole number and a unit, e.g. {@code 90s}, {@code 10m}, {@code 2h}, {@code 7d}. */
  private static final Pattern AGE = Pattern.compile("(\\d{1,6})\\s*([smhd])");

  /** The fields as typed, for refilling the form. */
  final Map<String, String> values;

  /** What was wrong, one message per bad field; empty when the query can run. */
  final List<String> errors = new ArrayList<>();

  private final TransactionQuery query;

  private SearchForm(Map<String, String> values, TransactionQuery query) {
    this.values = values;
    this.query = query;
  }

  /** Parses the request's parameters; never throws for bad input. */
  static SearchForm parse(Map<String, String> params, Collection<ModeContract> modes, Instant now) {
    List<String> errors = new ArrayList<>();
    for (String name : params.keySet()) {
      if (!FIELDS.contains(name)) {
        errors.add(
            "unknown search field '"
                + shorten(name)
                + "'; the fields are "
                + String.join(", ", FIELDS.stream().sorted().toList()));
      }
    }
    Set<GlobalStatus> statuses = EnumSet.noneOf(GlobalStatus.class);
    String status = params.getOrDefault("status", "").trim();
    if (!status.isEmpty()) {
      for (String code : status.split(",", -1)) {
        try {
          statuses.add(GlobalStatus.fromCode(code.trim()));
        } catch (InvalidInputException e) {
          errors.add(
              "status '"
                  + shorten(code)
                  + "' is not a status; choose one of "
                  + String.join(", ", statusCodes()));
        }
      }
    }
    Mode mode = null;
    String modeText = params.getOrDefault("mode", "").trim();
    if (!modeText.isEmpty()) {
      mode =
          modes.stream()
              .map(ModeContract::mode)
              .filter(m -> m.code().equals(modeText))
              .findFirst()
              .orElse(null);
      if (mode == null) {
        errors.add(
            "mode '"
                + shorten(modeText)
                + "' is not a mode of this server; choose one of "
                + String.join(", ", modes.stream().map(c -> c.mode().code()).toList()));
      }
    }
    Duration older = age(params, "olderThan", errors);
    Duration newer = age(params, "newerThan", errors);
    Instant createdBefore = older == null ? null : now.minus(older);
    Instant createdAfter = newer == null ? null : now.minus(newer);
    if (createdBefore != null && createdAfter != null && createdBefore.isBefore(createdAfter)) {
      errors.add(
          "'older than' ("
              + params.get("olderThan")
              + ") must be less than 'newer than' ("
              + params.get("newerThan")
              + "): no transaction can be both");
    }
    String text = text(params, "text", errors);
    String participant = text(params, "participant", errors);
    String error = text(params, "error", errors);
    Gid after = null;
    String afterText = params.getOrDefault("after", "");
    if (!afterText.isEmpty()) {
      try {
        after = Gid.of(afterText);
      } catch (InvalidInputException e) {
        errors.add("'after' is not a gid: " + e.getMessage());
      }
    }
    TransactionQuery query =
        errors.isEmpty()
            ? new TransactionQuery(
                statuses,
                mode,
                createdAfter,
                createdBefore,
                text,
                PAGE_SIZE,
                after,
                participant,
                error)
            : null;
    SearchForm form = new SearchForm(Map.copyOf(params), query);
    form.errors.addAll(errors);
    return form;
  }

  /** The query to run; only when {@link #errors} is empty. */
  TransactionQuery query() {
    if (query == null) {
      throw new IllegalStateException("the form has errors: " + errors);
    }
    return query;
  }

  /** The gid typed when "gid or text" is the only field filled in and holds a valid gid. */
  Optional<Gid> exactGid() {
    for (Map.Entry<String, String> e : values.entrySet()) {
      if (!e.getKey().equals("text") && !e.getValue().isBlank()) {
        return Optional.empty();
      }
    }
    try {
      return Optional.of(Gid.of(value("text").strip()));
    } catch (InvalidInputException e) {
      return Optional.empty();
    }
  }

  String value(String field) {
    return values.getOrDefault(field, "");
  }

  private static Duration age(Map<String, String> params, String field, List<String> errors) {
    String raw = params.getOrDefault(field, "").trim().toLowerCase(Locale.ROOT);
    if (raw.isEmpty()) {
      return null;
    }
    Matcher m = AGE.matcher(raw);
    if (!m.matches()) {
      errors.add(
          "'"
              + label(field)
              + "' must be a whole number and a unit (s, m, h, d), e.g. 10m or 2h; was '"
              + shorten(raw)
              + "'");
      return null;
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofDays(n);
    };
  }

  private static String text(Map<String, String> params, String field, List<String> errors) {
    String raw = params.getOrDefault(field, "").strip();
    if (raw.isEmpty()) {
      return null;
    }
    if (raw.length() > TransactionQuery.MAX_TEXT) {
      errors.add(
          "'"
              + label(field)
              + "' has "
              + raw.length()
              + " characters; at most "
              + TransactionQuery.MAX_TEXT
              + " are searched");
      return null;
    }
    for (int i = 0; i < raw.length(); i++) {
      if (Character.isISOControl(raw.charAt(i))) {
        errors.add("'" + label(field) + "' contains a control character; type plain text");
        return null;
      }
    }
    return raw;
  }

  static String label(String field) {
    return switch (field) {
      case "olderThan" -> "older than";
      case "newerThan" -> "newer than";
      case "text" -> "gid or text";
      default -> field;
    };
  }

  static List<String> statusCodes() {
    List<String> codes = new ArrayList<>();
    for (GlobalStatus s : GlobalStatus.values()) {
      codes.add(s.code());
    }
    return codes;
  }

  static String shorten(String s) {
    return s.length() > 40 ? s.substring(0, 40) + "..." : s;
  }
}
