package dev.cohort.replica;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * What a session has written, as the replication position of its last commit per source (a source
 * is one primary/replica cluster, named by {@link ReplicaOptions#sourceId()}). Immutable; {@link
 * #merge} keeps the maximum per source, so tokens from several services can be combined.
 *
 * <p>String form, safe in an HTTP header ({@value #HEADER}) or a message header:
 *
 * <pre>
 * c1;orders:pg:16/B374D848;users:mdb:0-1-42,1-2-7
 * </pre>
 *
 * The version tag {@code c1}, then one entry per source: {@code <source>:<kind>:<position>}, kind
 * {@code pg} (PostgreSQL WAL LSN) or {@code mdb} (MariaDB GTID position). The empty token is {@code
 * c1}.
 */
public final class ConsistencyToken {
  /** The HTTP header Cohort reads and writes the token in. */
  public static final String HEADER = "Cohort-Consistency";

  /** The format every token string follows; quoted by parse errors. */
  public static final String EXPECTED_FORMAT =
      "c1[;<source>:<pg|mdb>:<position>]..., e.g. c1;orders:pg:16/B374D848 or"
          + " c1;users:mdb:0-1-42";

  static final String VERSION = "c1";
  private static final Pattern SOURCE = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  /**
   * Limits for a token read from a request header, which is untrusted input: far above what one
   * request chain produces (one entry per cluster it wrote to), low enough that parsing and merging
   * stay cheap.
   */
  public static final int MAX_LENGTH = 4096;

  public static final int MAX_SOURCES = 64;

  public static final ConsistencyToken EMPTY = new ConsistencyToken(Map.of());

  private final Map<String, Position> positions;

  private ConsistencyToken(Map<String, Position> positions) {
    this.positions = Collections.unmodifiableMap(new TreeMap<>(positions));
  }

  /** A token holding one position. */
  public static ConsistencyToken of(String sourceId, Position position) {
    requireSourceId(sourceId);
    return new ConsistencyToken(Map.of(sourceId, Objects.requireNonNull(position, "position")));
  }

  /** Parses the string form; {@code null} or blank is the empty token. */
  public static ConsistencyToken parse(String text) {
    if (text == null || text.isBlank()) {
      return EMPTY;
    }
    if (text.length() > MAX_LENGTH) {
      throw new MalformedTokenException(
          text.substring(0, 40) + "...", "longer than " + MAX_LENGTH + " characters");
    }
    String[] parts = text.trim().split(";", -1);
    if (!VERSION.equals(parts[0])) {
      throw new MalformedTokenException(text, "it does not start with '" + VERSION + "'");
    }
    if (parts.length - 1 > MAX_SOURCES) {
      throw new MalformedTokenException(
          text.substring(0, Math.min(40, text.length())) + "...",
          (parts.length - 1) + " entries, more than " + MAX_SOURCES);
    }
    Map<String, Position> map = new TreeMap<>();
    for (int i = 1; i < parts.length; i++) {
      String[] f = parts[i].split(":", 3);
      if (f.length != 3 || !SOURCE.matcher(f[0]).matches()) {
        throw new MalformedTokenException(
            text, "entry '" + parts[i] + "' is not <source>:<pg|mdb>:<position>");
      }
      Position p;
      try {
        p = Position.parse(f[1], f[2]);
      } catch (IllegalArgumentException e) {
        throw new MalformedTokenException(text, e.getMessage());
      }
      Position before = map.get(f[0]);
      if (before != null && !before.kindTag().equals(p.kindTag())) {
        throw new MalformedTokenException(
            text,
            "source '"
                + f[0]
                + "' appears as "
                + before.kindTag()
                + " and as "
                + p.kindTag()
                + "; one source id names one cluster");
      }
      map.put(f[0], before == null ? p : before.max(p));
    }
    return new ConsistencyToken(map);
  }

  /** The string form (see the class comment). */
  public String format() {
    StringBuilder sb = new StringBuilder(VERSION);
    positions.forEach((source, p) ->
        sb.append(';').append(source).append(':').append(p.kindTag()).append(':').append(p.text()));
    return sb.toString();
  }

  /** The maximum per source of this token and {@code other}. */
  public ConsistencyToken merge(ConsistencyToken other) {
    if (other.positions.isEmpty()) {
      return this;
    }
    if (positions.isEmpty()) {
      return other;
    }
    Map<String, Position> merged = new TreeMap<>(positions);
    other.positions.forEach((source, p) ->
        merged.merge(
            source,
            p,
            (a, b) -> {
              if (!a.kindTag().equals(b.kindTag())) {
                throw new IllegalArgumentException(
                    "source '"
                        + source
                        + "' appears as "
                        + a.kindTag()
                        + " and as "
                        + b.kindTag()
                        + "; one source id must name one cluster");
              }
              return a.max(b);
            }));
    return new ConsistencyToken(merged);
  }

  public Optional<Position> position(String sourceId) {
    return Optional.ofNullable(positions.get(sourceId));
  }

  public Map<String, Position> positions() {
    return positions;
  }

  public boolean isEmpty() {
    return positions.isEmpty();
  }

  static String requireSourceId(String sourceId) {
    if (sourceId == null || !SOURCE.matcher(sourceId).matches()) {
      throw new IllegalArgumentException(
          "source id '" + sourceId + "' must match " + SOURCE.pattern());
    }
    return sourceId;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ConsistencyToken t && t.positions.equals(positions);
  }

  @Override
  public int hashCode() {
    return positions.hashCode();
  }

  @Override
  public String toString() {
    return format();
  }
}
