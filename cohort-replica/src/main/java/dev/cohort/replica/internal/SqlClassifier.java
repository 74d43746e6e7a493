package dev.cohort.replica.internal;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Decides from a statement's text whether a replica may run it. Errs towards the primary: anything
 * not recognisably a plain read is a write.
 */
public final class SqlClassifier {
  /** What a statement needs. */
  public enum Kind {
    /** May run on a replica. */
    READ,
    /** A read that takes row locks: primary. */
    LOCKING_READ,
    /** Changes data or session state, or is not understood: primary. */
    WRITE
  }

  private static final Pattern LOCKING =
      Pattern.compile(
          "\\bFOR\\s+(UPDATE|SHARE|NO\\s+KEY\\s+UPDATE|KEY\\s+SHARE)\\b|\\bLOCK\\s+IN\\s+SHARE\\s+MODE\\b");
  private static final Pattern MODIFYING_CTE =
      Pattern.compile("\\b(INSERT|UPDATE|DELETE|MERGE)\\b");
  private static final Pattern SIDE_EFFECT_FUNCTION =
      Pattern.compile(
          "\\b(NEXTVAL|SETVAL|PG_ADVISORY_\\w*|PG_TRY_ADVISORY_\\w*|PG_NOTIFY|GET_LOCK|RELEASE_LOCK"
              + "|RELEASE_ALL_LOCKS|LAST_INSERT_ID|FOUND_ROWS|ROW_COUNT|LO_\\w+|TXID_CURRENT"
              + "|PG_CURRENT_XACT_ID|NEXT\\s+VALUE\\s+FOR)\\b");
  private static final Pattern SELECT_INTO = Pattern.compile("\\bINTO\\b");

  private SqlClassifier() {}

  public static Kind classify(String sql) {
    if (sql == null) {
      return Kind.WRITE;
    }
    String body = stripLeading(sql);
    String upper = body.toUpperCase(Locale.ROOT);
    String first = firstWord(upper);
    switch (first) {
      case "SELECT", "WITH", "VALUES", "TABLE" -> {
        String code = stripLiterals(upper);
        if (first.equals("WITH") && MODIFYING_CTE.matcher(code).find()) {
          return Kind.WRITE;
        }
        if (SIDE_EFFECT_FUNCTION.matcher(code).find() || SELECT_INTO.matcher(code).find()) {
          return Kind.WRITE;
        }
        return LOCKING.matcher(code).find() ? Kind.LOCKING_READ : Kind.READ;
      }
      case "SHOW", "DESCRIBE", "DESC" -> {
        return Kind.READ;
      }
      case "EXPLAIN" -> {
        return upper.contains("ANALYZE") ? Kind.WRITE : Kind.READ;
      }
      default -> {
        return Kind.WRITE;
      }
    }
  }

  private static String firstWord(String upper) {
    int i = 0;
    while (i < upper.length() && Character.isLetter(upper.charAt(i))) {
      i++;
    }
    return upper.substring(0, i);
  }

  /** Drops leading whitespace, comments and opening parentheses. */
  static String stripLeading(String sql) {
    int i = 0;
    int n = sql.length();
    while (i < n) {
      char c = sql.charAt(i);
      if (Character.isWhitespace(c) || c == '(') {
        i++;
      } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
        int eol = sql.indexOf('\n', i);
        i = eol < 0 ? n : eol + 1;
      } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
        int end = sql.indexOf("*/", i + 2);
        i = end < 0 ? n : end + 2;
      } else {
        break;
      }
    }
    return sql.substring(i);
  }

  /** Replaces quoted strings and identifiers by blanks so keywords inside them do not count. */
  static String stripLiterals(String sql) {
    StringBuilder sb = new StringBuilder(sql.length());
    char quote = 0;
    for (int i = 0; i < sql.length(); i++) {
      char c = sql.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        }
        sb.append(' ');
      } else if (c == '\'' || c == '"' || c == '`') {
        quote = c;
        sb.append(' ');
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }
}
