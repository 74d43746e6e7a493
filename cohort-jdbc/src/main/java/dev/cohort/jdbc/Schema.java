package dev.cohort.jdbc;

import dev.cohort.jdbc.internal.SqlScript;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The tables of one Cohort component (e.g. "log", "barrier") as an ordered list of versions. Each
 * version is one SQL script per database, a classpath resource at {@code
 * /dev/cohort/<component>/sql/<database>/V<n>__<description>.sql}; {@code ${name}} in a script is
 * replaced by the value of the placeholder {@code name} (e.g. a configurable table name). The
 * versions applied are recorded in the component's history table.
 *
 * <pre>{@code
 * Schema log = Schema.builder("log", JdbcTransactionStore.class)
 *     .historyTable("cohort_schema_version")
 *     .version("create_log_tables")        // V1
 *     .preHistoryTable("cohort_global")    // tables made before the history existed count as V1
 *     .build();
 * }</pre>
 */
public final class Schema {
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,40}");
  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");
  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

  private final String component;
  private final Class<?> resourceAnchor;
  private final String historyTable;
  private final String preHistoryTable;
  private final List<String> versions;
  private final Map<String, String> placeholders;

  private Schema(Builder b) {
    this.component = b.component;
    this.resourceAnchor = b.resourceAnchor;
    this.historyTable = b.historyTable;
    this.preHistoryTable = b.preHistoryTable;
    this.versions = List.copyOf(b.versions);
    this.placeholders = Map.copyOf(b.placeholders);
  }

  /**
   * Starts a schema; its scripts are read through {@code resourceAnchor}'s class loader, so pass a
   * class of the module that holds them.
   */
  public static Builder builder(String component, Class<?> resourceAnchor) {
    return new Builder(component, resourceAnchor);
  }

  public String component() {
    return component;
  }

  public String historyTable() {
    return historyTable;
  }

  /** A table whose presence without history means version 1 was applied by an older Cohort. */
  public String preHistoryTable() {
    return preHistoryTable;
  }

  public int latestVersion() {
    return versions.size();
  }

  /** Every version's script for {@code database}, in order, placeholders replaced. */
  public List<Migration> migrations(Database database) {
    List<Migration> result = new ArrayList<>();
    for (int i = 0; i < versions.size(); i++) {
      int version = i + 1;
      String resource = resource(database, version);
      result.add(
          new Migration(
              version, versions.get(i), resource, SqlScript.split(substitute(read(resource)))));
    }
    return result;
  }

  /** The path of a version's script, e.g. {@code /dev/cohort/log/sql/sqlite/V1__create.sql}. */
  public String resource(Database database, int version) {
    return "/dev/cohort/"
        + component
        + "/sql/"
        + database.id()
        + "/V"
        + version
        + "__"
        + versions.get(version - 1)
        + ".sql";
  }

  private String read(String resource) {
    try (InputStream in = resourceAnchor.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(
            "the schema script "
                + resource
                + " of component '"
                + component
                + "' is not on the class path of "
                + resourceAnchor.getName()
                + "; the module that defines the schema must ship it");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("could not read the schema script " + resource, e);
    }
  }

  private String substitute(String script) {
    Matcher m = PLACEHOLDER.matcher(script);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = placeholders.get(m.group(1));
      if (value == null) {
        throw new IllegalStateException(
            "schema '"
                + component
                + "' uses placeholder ${"
                + m.group(1)
                + "} but defines only "
                + placeholders.keySet());
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }

  @Override
  public String toString() {
    return "schema '" + component + "' (history in " + historyTable + ")";
  }

  /** One version of a schema: its number, description, script and the statements in it. */
  public record Migration(
      int version, String description, String resource, List<String> statements) {
    public Migration {
      statements = List.copyOf(statements);
    }
  }

  /** Settings of a {@link Schema}. */
  public static final class Builder {
    private final String component;
    private final Class<?> resourceAnchor;
    private String historyTable;
    private String preHistoryTable;
    private final List<String> versions = new ArrayList<>();
    private final Map<String, String> placeholders = new LinkedHashMap<>();

    private Builder(String component, Class<?> resourceAnchor) {
      this.component = requireName("component", component);
      this.resourceAnchor = Objects.requireNonNull(resourceAnchor, "resourceAnchor");
      this.historyTable = "cohort_" + component + "_schema_version";
    }

    /** The table recording applied versions; default {@code cohort_<component>_schema_version}. */
    public Builder historyTable(String table) {
      this.historyTable = requireIdentifier("historyTable", table);
      return this;
    }

    /** See {@link Schema#preHistoryTable()}; none by default. */
    public Builder preHistoryTable(String table) {
      this.preHistoryTable = requireIdentifier("preHistoryTable", table);
      return this;
    }

    /** Adds the next version, whose script is {@code V<n>__<description>.sql}. */
    public Builder version(String description) {
      versions.add(requireName("description", description));
      return this;
    }

    /** Replaces {@code ${name}} in the scripts with {@code value}, an SQL identifier. */
    public Builder placeholder(String name, String value) {
      placeholders.put(Objects.requireNonNull(name, "name"), requireIdentifier(name, value));
      return this;
    }

    public Schema build() {
      if (versions.isEmpty()) {
        throw new IllegalStateException(
            "schema '" + component + "' has no versions; add at least version(\"create_...\")");
      }
      return new Schema(this);
    }

    private static String requireName(String what, String value) {
      if (value == null || !NAME.matcher(value).matches()) {
        throw new IllegalArgumentException(
            what + " '" + value + "' must match " + NAME.pattern() + ", e.g. create_log_tables");
      }
      return value;
    }

    private static String requireIdentifier(String what, String value) {
      if (value == null || !IDENTIFIER.matcher(value).matches()) {
        throw new IllegalArgumentException(
            what
                + " '"
                + value
                + "' must be a plain SQL name matching "
                + IDENTIFIER.pattern()
                + " (at most 64 characters: MariaDB's limit)");
      }
      return value;
    }
  }
}
