package dev.cohort.jdbc.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a migration script into statements. Deliberately simple, since Cohort writes its own
 * scripts: a statement ends with a line ending in {@code ;}, and lines starting with {@code --} are
 * comments. No procedural blocks or semicolons inside string literals at line ends.
 */
public final class SqlScript {
  private SqlScript() {}

  public static List<String> split(String script) {
    List<String> statements = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : script.lines().toList()) {
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("--")) {
        continue;
      }
      if (current.length() > 0) {
        current.append('\n');
      }
      current.append(line.stripTrailing());
      if (trimmed.endsWith(";")) {
        current.setLength(current.length() - 1);
        statements.add(current.toString().strip());
        current.setLength(0);
      }
    }
    if (!current.toString().isBlank()) {
      statements.add(current.toString().strip());
    }
    return statements;
  }
}
