package dev.cohort.replica;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A point in a database's replication stream: a PostgreSQL WAL LSN or a MariaDB GTID position (one
 * sequence number per replication domain). Positions of one source are totally ordered per domain,
 * which is all read-your-writes needs: a replica may serve a read once its applied position {@link
 * #covers covers} the position of the caller's last write.
 */
public sealed interface Position permits Position.Lsn, Position.Gtids {

  /** Whether everything up to {@code other} is included in this position. */
  boolean covers(Position other);

  /** The smallest position covering both. */
  Position max(Position other);

  /** Distance in bytes (WAL) when known, else -1. */
  long bytesAhead(Position older);

  /** Transactions between {@code older} and this when known (GTID sequence numbers), else -1. */
  long transactionsAhead(Position older);

  /** The database's own notation: {@code 16/B374D848} or {@code 0-1-42,1-2-7}. */
  String text();

  /** The dialect tag used in the token string. */
  String kindTag();

  /** Parses {@code text} in the notation of {@code kindTag} ({@code pg} or {@code mdb}). */
  static Position parse(String kindTag, String text) {
    return switch (kindTag) {
      case Lsn.TAG -> Lsn.parse(text);
      case Gtids.TAG -> Gtids.parse(text);
      default ->
          throw new IllegalArgumentException(
              "unknown position kind '" + kindTag + "'; expected 'pg' or 'mdb'");
    };
  }

  /** A PostgreSQL WAL log sequence number. */
  record Lsn(long value) implements Position {
    static final String TAG = "pg";
    private static final Pattern FORMAT = Pattern.compile("[0-9A-Fa-f]{1,8}/[0-9A-Fa-f]{1,8}");

    public static Lsn parse(String text) {
      if (text == null || !FORMAT.matcher(text).matches()) {
        throw new IllegalArgumentException(
            "'" + text + "' is not a PostgreSQL LSN; expected <hex>/<hex>, e.g. 16/B374D848");
      }
      int slash = text.indexOf('/');
      long hi = Long.parseLong(text.substring(0, slash), 16);
      long lo = Long.parseLong(text.substring(slash + 1), 16);
      return new Lsn((hi << 32) | lo);
    }

    @Override
    public boolean covers(Position other) {
      return Long.compareUnsigned(value, requireSameKind(other).value) >= 0;
    }

    @Override
    public Position max(Position other) {
      return covers(other) ? this : other;
    }

    @Override
    public long bytesAhead(Position older) {
      return Math.max(0, value - requireSameKind(older).value);
    }

    @Override
    public long transactionsAhead(Position older) {
      return -1;
    }

    @Override
    public String text() {
      return Long.toHexString(value >>> 32).toUpperCase(Locale.ROOT)
          + "/"
          + Long.toHexString(value & 0xFFFFFFFFL).toUpperCase(Locale.ROOT);
    }

    @Override
    public String kindTag() {
      return TAG;
    }

    private static Lsn requireSameKind(Position other) {
      if (other instanceof Lsn lsn) {
        return lsn;
      }
      throw new IllegalArgumentException("cannot compare a PostgreSQL LSN with " + other);
    }

    @Override
    public String toString() {
      return text();
    }
  }

  /**
   * A MariaDB GTID position: for each replication domain, the last applied {@code
   * domain-server-sequence}. Comparison uses the sequence number per domain (GTID strict mode keeps
   * it increasing across server ids, also after a failover).
   */
  record Gtids(Map<Long, Gtid> byDomain) implements Position {
    static final String TAG = "mdb";
    private static final Pattern ONE = Pattern.compile("\\d{1,10}-\\d{1,10}-\\d{1,20}");

    /** One global transaction id. */
    public record Gtid(long domain, long server, long sequence) {}

    public Gtids {
      byDomain = java.util.Collections.unmodifiableMap(new TreeMap<>(byDomain));
    }

    /** Parses {@code @@gtid_binlog_pos} / {@code @@last_gtid} notation; empty text is empty. */
    public static Gtids parse(String text) {
      Objects.requireNonNull(text, "text");
      Map<Long, Gtid> map = new TreeMap<>();
      if (!text.isBlank()) {
        for (String part : text.trim().split(",", -1)) {
          String p = part.trim();
          if (!ONE.matcher(p).matches()) {
            throw new IllegalArgumentException(
                "'"
                    + text
                    + "' is not a MariaDB GTID position; expected"
                    + " <domain>-<server>-<sequence>[,...], e.g. 0-1-42");
          }
          String[] f = p.split("-", -1);
          Gtid g = new Gtid(Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2]));
          map.merge(g.domain(), g, (a, b) -> a.sequence() >= b.sequence() ? a : b);
        }
      }
      return new Gtids(map);
    }

    @Override
    public boolean covers(Position other) {
      for (Gtid wanted : requireSameKind(other).byDomain.values()) {
        Gtid mine = byDomain.get(wanted.domain());
        if (mine == null || mine.sequence() < wanted.sequence()) {
          return false;
        }
      }
      return true;
    }

    @Override
    public Position max(Position other) {
      Map<Long, Gtid> merged = new TreeMap<>(byDomain);
      for (Gtid g : requireSameKind(other).byDomain.values()) {
        merged.merge(g.domain(), g, (a, b) -> a.sequence() >= b.sequence() ? a : b);
      }
      return new Gtids(merged);
    }

    @Override
    public long bytesAhead(Position older) {
      return -1;
    }

    @Override
    public long transactionsAhead(Position older) {
      Map<Long, Gtid> old = requireSameKind(older).byDomain;
      long sum = 0;
      for (Gtid g : byDomain.values()) {
        Gtid o = old.get(g.domain());
        sum += Math.max(0, g.sequence() - (o == null ? 0 : o.sequence()));
      }
      return sum;
    }

    @Override
    public String text() {
      StringBuilder sb = new StringBuilder();
      for (Gtid g : byDomain.values()) {
        if (!sb.isEmpty()) {
          sb.append(',');
        }
        sb.append(g.domain()).append('-').append(g.server()).append('-').append(g.sequence());
      }
      return sb.toString();
    }

    @Override
    public String kindTag() {
      return TAG;
    }

    private static Gtids requireSameKind(Position other) {
      if (other instanceof Gtids g) {
        return g;
      }
      throw new IllegalArgumentException("cannot compare a MariaDB GTID position with " + other);
    }

    @Override
    public String toString() {
      return text();
    }
  }
}
