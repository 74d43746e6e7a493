package dev.cohort.store.jdbc.internal;

import dev.cohort.jdbc.Database;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The search fields that look for text inside the log (gid or text, participant, error), each a
 * subquery of matching gids, written so that the database's text index answers it instead of a scan
 * of every row: PostgreSQL's trigram indexes (LOWER(column) LIKE), SQLite's FTS5 trigram tables
 * (MATCH), MariaDB's FULLTEXT indexes (MATCH ... AGAINST, then the exact text checked with LIKE).
 * Text too short for an index (under three characters) is matched with LIKE over the rows.
 */
final class TextSearch {
  /** A searchable column: in the transaction's row or in one of its branches. */
  enum Column {
    GID(true, "gid"),
    REASON(true, "reason"),
    PAYLOAD(false, "payload"),
    PARTICIPANT(false, "participant"),
    LAST_ERROR(false, "last_error");

    final boolean global;
    final String name;

    Column(boolean global, String name) {
      this.global = global;
      this.name = name;
    }

    String table() {
      return global ? "cohort_global" : "cohort_branch";
    }
  }

  /** Trigrams: the shortest text any of the indexes can look up. */
  static final int MIN_INDEXED = 3;

  /**
   * InnoDB's default stopwords of three letters or more (INNODB_FT_DEFAULT_STOPWORD): the index
   * holds none of them, so a required one would match nothing; the LIKE after the MATCH still
   * checks them.
   */
  private static final Set<String> INNODB_STOPWORDS =
      Set.of(
          "about", "are", "com", "for", "from", "how", "that", "the", "this", "was", "what", "when",
          "where", "who", "will", "with", "und", "www");

  private final Database database;

  TextSearch(Database database) {
    this.database = database;
  }

  /**
   * {@code SELECT gid ... UNION SELECT gid ...}: the gids with {@code text} in any of {@code
   * columns}, ignoring case; adds its parameters to {@code args}.
   */
  String gidsWith(String text, List<Column> columns, List<Object> args) {
    if (database == Database.POSTGRESQL && text.indexOf('\u0000') >= 0) {
      // PostgreSQL text never holds a NUL, and refuses one as a parameter: nothing matches.
      return "SELECT gid FROM cohort_global WHERE 1 = 0";
    }
    String lower = text.toLowerCase(Locale.ROOT);
    List<String> parts = new ArrayList<>();
    // FTS5 refuses a query string with a NUL in it (an SQL error, not "no match"); the API takes
    // any text, so text with control characters goes the LIKE way.
    if (database == Database.SQLITE
        && text.length() >= MIN_INDEXED
        && text.chars().noneMatch(Character::isISOControl)) {
      // One MATCH per table; a column filter names the columns searched.
      for (boolean global : new boolean[] {true, false}) {
        List<String> names =
            columns.stream().filter(c -> c.global == global).map(c -> c.name).toList();
        if (names.isEmpty()) {
          continue;
        }
        String table = global ? "cohort_global" : "cohort_branch";
        parts.add(
            "SELECT gid FROM "
                + table
                + " WHERE rowid IN (SELECT rowid FROM "
                + table
                + "_text WHERE "
                + table
                + "_text MATCH ?)");
        args.add("{" + String.join(" ", names) + "} : " + ftsPhrase(text));
      }
      return String.join(" UNION ", parts);
    }
    for (Column c : columns) {
      parts.add(oneColumn(c, text, lower, args));
    }
    return String.join(" UNION ", parts);
  }

  /**
   * Whether {@link #rowMatches} finds exactly what {@link #gidsWith} finds for {@code text}, so a
   * scan of rows in gid order may answer instead of the index. PostgreSQL: always (its index serves
   * the same {@code LOWER(column) LIKE}), but for a NUL, which it refuses as a parameter. SQLite:
   * for ASCII text (FTS5's trigram matching and LOWER agree on ASCII case). MariaDB: never (its
   * FULLTEXT matches word prefixes, not fragments).
   */
  boolean rowScanAgrees(String text) {
    return switch (database) {
      case POSTGRESQL -> text.indexOf('\u0000') < 0;
      case SQLITE -> text.chars().allMatch(ch -> ch < 128);
      default -> false;
    };
  }

  /**
   * A condition on one row of {@code cohort_global} named {@code g}: {@code text} in any of {@code
   * columns}, ignoring case, by LIKE on the row itself (branches through EXISTS), no index; adds
   * its parameters to {@code args}.
   */
  String rowMatches(String text, List<Column> columns, List<Object> args) {
    String pattern = "%" + escapeLike(text.toLowerCase(Locale.ROOT), '!') + "%";
    List<String> parts = new ArrayList<>();
    List<String> branch = new ArrayList<>();
    for (Column c : columns) {
      String like = "LOWER(" + (c.global ? "g." : "b.") + c.name + ") LIKE ? ESCAPE '!'";
      if (c.global) {
        parts.add(like);
        args.add(pattern);
      } else {
        branch.add(like);
      }
    }
    if (!branch.isEmpty()) {
      parts.add(
          "EXISTS (SELECT 1 FROM cohort_branch b WHERE b.gid = g.gid AND ("
              + String.join(" OR ", branch)
              + "))");
      branch.forEach(unused -> args.add(pattern));
    }
    return "(" + String.join(" OR ", parts) + ")";
  }

  private String oneColumn(Column c, String text, String lower, List<Object> args) {
    String select = "SELECT gid FROM " + c.table() + " WHERE ";
    if (database == Database.POSTGRESQL) {
      // Backslash is LIKE's default escape, which the trigram index understands.
      args.add("%" + escapeLike(lower, '\\') + "%");
      return select + "LOWER(" + c.name + ") LIKE ?";
    }
    String like = "LOWER(" + c.name + ") LIKE ? ESCAPE '!'";
    String words = database == Database.MARIADB ? fulltextWords(text) : null;
    if (words != null) {
      args.add(words);
      args.add("%" + escapeLike(lower, '!') + "%");
      return select + "MATCH(" + c.name + ") AGAINST (? IN BOOLEAN MODE) AND " + like;
    }
    args.add("%" + escapeLike(lower, '!') + "%");
    return select + like;
  }

  /**
   * MariaDB boolean query: every word of three characters or more must begin a word of the column
   * ({@code +word*}); null when there is none, so the caller falls back to LIKE. A fragment that
   * starts inside a word is therefore found only by its later words.
   */
  static String fulltextWords(String text) {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    for (int i = 0; i <= text.length(); i++) {
      char ch = i < text.length() ? text.charAt(i) : ' ';
      if (Character.isLetterOrDigit(ch) || ch == '_') {
        word.append(ch);
        continue;
      }
      if (word.length() >= MIN_INDEXED
          && !INNODB_STOPWORDS.contains(word.toString().toLowerCase(Locale.ROOT))) {
        words.add("+" + word + "*");
      }
      word.setLength(0);
    }
    return words.isEmpty() ? null : String.join(" ", words);
  }

  /** An FTS5 string: the text in double quotes, its own double quotes doubled. */
  static String ftsPhrase(String text) {
    return "\"" + text.replace("\"", "\"\"") + "\"";
  }

  static String escapeLike(String text, char escape) {
    String e = String.valueOf(escape);
    return text.replace(e, e + e).replace("%", e + "%").replace("_", e + "_");
  }
}
