package dev.cohort.jdbc;

import dev.cohort.jdbc.internal.SqlScript;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Reads an SQL script from the class path and splits it into statements, by the same rules as the
 * versions of a {@link Schema} (a statement ends with a line ending in {@code ;}; lines starting
 * with {@code --} are comments): for the optional parts of a schema that a {@link
 * SchemaMigrator.LockedStep} keeps outside the versions.
 */
public final class SqlScripts {
  private SqlScripts() {}

  /**
   * The statements of {@code resource}, found relative to {@code anchor}'s class loader.
   *
   * @throws IllegalStateException the script is not on the class path
   */
  public static List<String> read(Class<?> anchor, String resource) {
    try (InputStream in = anchor.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(
            "the SQL script " + resource + " is not on the class path of " + anchor.getName());
      }
      return SqlScript.split(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("could not read the SQL script " + resource, e);
    }
  }
}
