package dev.cohort.cache;

import dev.cohort.replica.Position;
import java.util.Objects;

/**
 * The version a cached value was read at, or the version a writer committed: a row version (a
 * {@code version} column the writer increments), a PostgreSQL WAL LSN, or a MariaDB GTID sequence
 * number (one replication domain). One key must always use one kind; the cache refuses to compare
 * two kinds.
 *
 * @param kind what the number counts
 * @param value the number; compared unsigned
 */
public record CacheVersion(Kind kind, long value) implements Comparable<CacheVersion> {
  /** What a version number counts. */
  public enum Kind {
    ROW('r'),
    LSN('l'),
    GTID('g');

    private final char tag;

    Kind(char tag) {
      this.tag = tag;
    }

    /** The one-letter tag stored in Redis. */
    public char tag() {
      return tag;
    }

    static Kind ofTag(char tag) {
      for (Kind k : values()) {
        if (k.tag == tag) {
          return k;
        }
      }
      throw new IllegalArgumentException("unknown cache version kind '" + tag + "'");
    }
  }

  private static final int DIGITS = 20;

  public CacheVersion {
    Objects.requireNonNull(kind, "kind");
  }

  /** A row version: the value of the row's version column when it was read or written. */
  public static CacheVersion row(long version) {
    if (version < 0) {
      throw new IllegalArgumentException(
          "row version must be 0 or more, got " + version + "; use the row's version column");
    }
    return new CacheVersion(Kind.ROW, version);
  }

  /**
   * A replication position: a PostgreSQL LSN, or a MariaDB GTID position of one domain (its
   * sequence number). A GTID position over several domains has no single order and is refused.
   */
  public static CacheVersion of(Position position) {
    return switch (Objects.requireNonNull(position, "position")) {
      case Position.Lsn lsn -> new CacheVersion(Kind.LSN, lsn.value());
      case Position.Gtids gtids -> {
        if (gtids.byDomain().size() != 1) {
          throw new IllegalArgumentException(
              "GTID position '"
                  + gtids.text()
                  + "' has "
                  + gtids.byDomain().size()
                  + " domains; a cache version needs exactly one (use row versions instead)");
        }
        yield new CacheVersion(Kind.GTID, gtids.byDomain().values().iterator().next().sequence());
      }
    };
  }

  /** The stored form: the kind's tag and 20 digits, so that Redis compares them as text. */
  public String encoded() {
    String digits = Long.toUnsignedString(value);
    return kind.tag + "0".repeat(DIGITS - digits.length()) + digits;
  }

  /** Reads {@link #encoded()}. */
  public static CacheVersion decode(String encoded) {
    if (encoded == null || encoded.length() != DIGITS + 1) {
      throw new IllegalArgumentException(
          "'" + encoded + "' is not an encoded cache version (a kind letter and 20 digits)");
    }
    return new CacheVersion(
        Kind.ofTag(encoded.charAt(0)), Long.parseUnsignedLong(encoded.substring(1)));
  }

  @Override
  public int compareTo(CacheVersion other) {
    if (other.kind != kind) {
      throw new IllegalArgumentException("cannot compare " + this + " with " + other);
    }
    return Long.compareUnsigned(value, other.value);
  }

  @Override
  public String toString() {
    return kind.name().toLowerCase(java.util.Locale.ROOT) + ":" + Long.toUnsignedString(value);
  }
}
