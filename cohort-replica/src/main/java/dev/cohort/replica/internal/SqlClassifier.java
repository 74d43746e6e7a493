package dev.cohort.replica.internal;

import java.util.Set;

/**
 * Decides from a statement's tokens whether a replica may run it. Errs towards the primary:
 * anything not recognisably a plain read is a write. Words inside strings, quoted identifiers and
 * comments do not count, under the quoting rules of the database at hand ({@link SqlQuoting}).
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

  static final SqlClassifier POSTGRESQL = new SqlClassifier(SqlQuoting.POSTGRESQL);
  static final SqlClassifier MARIADB = new SqlClassifier(SqlQuoting.MARIADB);

  private static final Set<String> SIDE_EFFECT_FUNCTIONS =
      Set.of(
          "NEXTVAL",
          "SETVAL",
          "PG_NOTIFY",
          "GET_LOCK",
          "RELEASE_LOCK",
          "RELEASE_ALL_LOCKS",
          "LAST_INSERT_ID",
          "FOUND_ROWS",
          "ROW_COUNT",
          "TXID_CURRENT",
          "PG_CURRENT_XACT_ID");
  private static final String[] SIDE_EFFECT_PREFIXES = {"PG_ADVISORY_", "PG_TRY_ADVISORY_", "LO_"};
  private static final Set<String> DATA_MODIFYING = Set.of("INSERT", "UPDATE", "DELETE", "MERGE");

  private final SqlQuoting quoting;

  private SqlClassifier(SqlQuoting quoting) {
    this.quoting = quoting;
  }

  public Kind classify(String sql) {
    if (sql == null) {
      return Kind.WRITE;
    }
    SqlLexer lexer = new SqlLexer(sql, quoting);
    SqlLexer.Token t = lexer.next();
    while (t == SqlLexer.Token.SYMBOL && lexer.symbol() == '(') {
      t = lexer.next();
    }
    if (t != SqlLexer.Token.WORD) {
      return Kind.WRITE;
    }
    return switch (lexer.upperText()) {
      case "SELECT", "VALUES", "TABLE" -> query(lexer, false);
      case "WITH" -> query(lexer, true);
      case "SHOW", "DESCRIBE", "DESC" -> Kind.READ;
      case "EXPLAIN" -> hasWord(lexer, "ANALYZE") ? Kind.WRITE : Kind.READ;
      default -> Kind.WRITE;
    };
  }

  /**
   * A query is a write if it calls a function with side effects, stores its result ({@code INTO}),
   * holds a data-modifying {@code WITH} part, or is followed by another statement; a locking read
   * if it ends in a locking clause.
   */
  private static Kind query(SqlLexer lexer, boolean with) {
    // The last three words, when nothing else came between them: enough for FOR NO KEY UPDATE,
    // LOCK IN SHARE MODE and NEXT VALUE FOR.
    String w1 = null;
    String w2 = null;
    String w3 = null;
    boolean locking = false;
    for (SqlLexer.Token t = lexer.next(); t != SqlLexer.Token.END; t = lexer.next()) {
      switch (t) {
        case WORD -> {
          String w = lexer.upperText();
          if (isSideEffectFunction(w)
              || w.equals("INTO")
              || (with && DATA_MODIFYING.contains(w))
              || (w.equals("FOR") && "VALUE".equals(w1) && "NEXT".equals(w2))) {
            return Kind.WRITE;
          }
          locking |= lockingClauseEndsWith(w, w1, w2, w3);
          w3 = w2;
          w2 = w1;
          w1 = w;
        }
        case QUOTED_IDENTIFIER -> {
          // "nextval"('s') still calls nextval; a quoted name is never a keyword, though.
          if (isSideEffectFunction(lexer.upperText())) {
            return Kind.WRITE;
          }
          w1 = w2 = w3 = null;
        }
        case SYMBOL -> {
          if (lexer.symbol() == ';' && lexer.next() != SqlLexer.Token.END) {
            return Kind.WRITE;
          }
          w1 = w2 = w3 = null;
        }
        default -> w1 = w2 = w3 = null;
      }
    }
    return locking ? Kind.LOCKING_READ : Kind.READ;
  }

  private static boolean lockingClauseEndsWith(String w, String w1, String w2, String w3) {
    return switch (w) {
      case "UPDATE" ->
          "FOR".equals(w1) || ("KEY".equals(w1) && "NO".equals(w2) && "FOR".equals(w3));
      case "SHARE" -> "FOR".equals(w1) || ("KEY".equals(w1) && "FOR".equals(w2));
      case "MODE" -> "SHARE".equals(w1) && "IN".equals(w2) && "LOCK".equals(w3);
      default -> false;
    };
  }

  private static boolean isSideEffectFunction(String name) {
    if (SIDE_EFFECT_FUNCTIONS.contains(name)) {
      return true;
    }
    for (String prefix : SIDE_EFFECT_PREFIXES) {
      if (name.startsWith(prefix) && name.length() > prefix.length()) {
        return true;
      }
    }
    return false;
  }

  private static boolean hasWord(SqlLexer lexer, String word) {
    for (SqlLexer.Token t = lexer.next(); t != SqlLexer.Token.END; t = lexer.next()) {
      if (t == SqlLexer.Token.WORD && lexer.upperText().equals(word)) {
        return true;
      }
    }
    return false;
  }
}
