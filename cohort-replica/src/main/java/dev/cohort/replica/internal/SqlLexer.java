package dev.cohort.replica.internal;

import java.util.Locale;

/**
 * Splits a statement into words, quoted identifiers, strings and symbols, skipping whitespace and
 * comments, under one database's {@link SqlQuoting}. Only as precise as routing needs: it never
 * rejects input (an unterminated string or comment runs to the end, where the server will reject
 * the statement anyway).
 *
 * <p>Written by hand rather than taken from a SQL parser library: routing needs token boundaries
 * only, on every statement, without allocating a syntax tree or depending on a grammar that lags
 * the servers' dialects.
 */
final class SqlLexer {
  enum Token {
    /** A keyword or unquoted identifier; {@link #upperText()} gives it in upper case. */
    WORD,
    /** A {@code "quoted"} (PostgreSQL) or {@code `backticked`} (MariaDB) identifier. */
    QUOTED_IDENTIFIER,
    /** A string literal of any kind, dollar-quoted strings included. */
    STRING,
    /** One character of anything else: punctuation, an operator, a digit, a parameter. */
    SYMBOL,
    END
  }

  private final String sql;
  private final SqlQuoting quoting;
  private final int length;
  private int pos;
  private int start;
  private int end;
  private boolean inExecutableComment;

  SqlLexer(String sql, SqlQuoting quoting) {
    this.sql = sql;
    this.quoting = quoting;
    this.length = sql.length();
  }

  /** The next token; its text is then {@link #upperText()} or {@link #symbol()}. */
  Token next() {
    skipSpaceAndComments();
    if (pos >= length) {
      start = end = length;
      return Token.END;
    }
    char c = sql.charAt(pos);
    if (c == '\'') {
      return string(pos + 1, quoting.backslashEscapes);
    }
    if (quoting.escapeStringPrefix
        && (c == 'E' || c == 'e')
        && pos + 1 < length
        && sql.charAt(pos + 1) == '\'') {
      return string(pos + 2, true);
    }
    if (c == '"') {
      return quoting.doubleQuotesAreIdentifiers
          ? quotedIdentifier('"')
          : string(pos + 1, quoting.backslashEscapes);
    }
    if (c == '`' && quoting.backtickIdentifiers) {
      return quotedIdentifier('`');
    }
    if (c == '$' && quoting.dollarQuotes) {
      int tagEnd = dollarTagEnd(pos);
      if (tagEnd > 0) {
        return dollarString(tagEnd);
      }
    }
    if (isWordStart(c)) {
      start = pos;
      while (pos < length && isWordPart(sql.charAt(pos))) {
        pos++;
      }
      end = pos;
      return Token.WORD;
    }
    start = pos;
    end = ++pos;
    return Token.SYMBOL;
  }

  /** The current word or quoted identifier's text in upper case (quotes removed, not unescaped). */
  String upperText() {
    return sql.substring(start, end).toUpperCase(Locale.ROOT);
  }

  /** The current symbol. */
  char symbol() {
    return sql.charAt(start);
  }

  private void skipSpaceAndComments() {
    while (pos < length) {
      char c = sql.charAt(pos);
      if (Character.isWhitespace(c)) {
        pos++;
      } else if (c == '-' && startsWith(pos, "--") && dashDashComment(pos + 2)) {
        skipLine();
      } else if (c == '#' && quoting.hashComments) {
        skipLine();
      } else if (c == '/' && startsWith(pos, "/*")) {
        if (quoting.executableComments && executableCommentBody(pos + 2) > 0) {
          // The body is code: lex it as such and drop its closing */ when it comes.
          pos = executableCommentBody(pos + 2);
          inExecutableComment = true;
        } else {
          skipBlockComment();
        }
      } else if (c == '*' && inExecutableComment && startsWith(pos, "*/")) {
        inExecutableComment = false;
        pos += 2;
      } else {
        return;
      }
    }
  }

  private boolean dashDashComment(int after) {
    if (!quoting.dashDashNeedsSpace || after >= length) {
      return true;
    }
    char c = sql.charAt(after);
    return Character.isWhitespace(c) || Character.isISOControl(c);
  }

  private void skipLine() {
    int eol = sql.indexOf('\n', pos);
    pos = eol < 0 ? length : eol + 1;
  }

  /** Where the code of {@code /*!NNNNN ...} or {@code /*M!NNNNN ...} starts; -1 if not one. */
  private int executableCommentBody(int i) {
    if (i < length && sql.charAt(i) == 'M') {
      i++;
    }
    if (i >= length || sql.charAt(i) != '!') {
      return -1;
    }
    i++;
    while (i < length && Character.isDigit(sql.charAt(i))) {
      i++;
    }
    return i;
  }

  private void skipBlockComment() {
    int depth = 0;
    while (pos < length) {
      if (startsWith(pos, "/*") && (depth == 0 || quoting.nestedBlockComments)) {
        depth++;
        pos += 2;
      } else if (startsWith(pos, "*/")) {
        pos += 2;
        if (--depth == 0) {
          return;
        }
      } else {
        pos++;
      }
    }
  }

  /** A string whose text starts at {@code from}; a doubled quote stands for one. */
  private Token string(int from, boolean backslashEscapes) {
    char quote = sql.charAt(from - 1);
    start = from;
    int i = from;
    while (i < length) {
      char c = sql.charAt(i);
      if (c == '\\' && backslashEscapes) {
        i += 2;
      } else if (c == quote) {
        if (i + 1 < length && sql.charAt(i + 1) == quote) {
          i += 2;
        } else {
          break;
        }
      } else {
        i++;
      }
    }
    end = Math.min(i, length);
    pos = Math.min(i + 1, length);
    return Token.STRING;
  }

  private Token quotedIdentifier(char quote) {
    int i = pos + 1;
    start = i;
    while (i < length) {
      if (sql.charAt(i) == quote) {
        if (i + 1 < length && sql.charAt(i + 1) == quote) {
          i += 2;
          continue;
        }
        break;
      }
      i++;
    }
    end = Math.min(i, length);
    pos = Math.min(i + 1, length);
    return Token.QUOTED_IDENTIFIER;
  }

  /**
   * The index after the closing {@code $} of a dollar-quote tag ({@code $$} or {@code $tag$}) at
   * {@code i}; -1 if none starts there ({@code $1} is a parameter: tags do not start with a digit).
   */
  private int dollarTagEnd(int i) {
    int j = i + 1;
    if (j < length && isWordStart(sql.charAt(j))) {
      while (j < length && sql.charAt(j) != '$' && isTagPart(sql.charAt(j))) {
        j++;
      }
    }
    return j < length && sql.charAt(j) == '$' ? j + 1 : -1;
  }

  private Token dollarString(int tagEnd) {
    String tag = sql.substring(pos, tagEnd);
    int close = sql.indexOf(tag, tagEnd);
    start = tagEnd;
    end = close < 0 ? length : close;
    pos = close < 0 ? length : close + tag.length();
    return Token.STRING;
  }

  private boolean startsWith(int i, String s) {
    return sql.startsWith(s, i);
  }

  private static boolean isWordStart(char c) {
    return Character.isLetter(c) || c == '_';
  }

  private static boolean isTagPart(char c) {
    return Character.isLetterOrDigit(c) || c == '_';
  }

  // '$' belongs to PostgreSQL and MariaDB identifiers alike when it is not the first character.
  private static boolean isWordPart(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == '$';
  }
}
