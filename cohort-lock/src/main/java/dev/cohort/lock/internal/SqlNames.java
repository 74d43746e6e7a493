package dev.cohort.lock.internal;

import java.util.regex.Pattern;

/** Table and column names are put into SQL text, so only plain identifiers are accepted. */
public final class SqlNames {
  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

  private SqlNames() {}

  /** Returns {@code name} if it is a plain SQL identifier, else fails naming {@code what}. */
  public static String require(String what, String name) {
    if (name == null || !IDENTIFIER.matcher(name).matches()) {
      throw new IllegalArgumentException(
          what + " '" + name + "' must be a plain SQL identifier matching " + IDENTIFIER.pattern());
    }
    return name;
  }
}
