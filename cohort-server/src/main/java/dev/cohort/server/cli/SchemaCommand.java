package dev.cohort.server.cli;

import dev.cohort.eventstore.EventStore;
import dev.cohort.jdbc.Database;
import dev.cohort.jdbc.Schema;
import dev.cohort.jdbc.SchemaMigrator;
import dev.cohort.lock.LeaseLock;
import dev.cohort.participant.Barrier;
import dev.cohort.store.jdbc.JdbcTransactionStore;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Prints Cohort's tables as plain SQL for one database, for teams that apply schemas with their own
 * tool; the store ({@code schemaMode(VERIFY)}), the barrier, the lease lock and the event store
 * ({@code verifySchema()}) then only check the version. Touches no database.
 */
@Command(
    name = "schema",
    mixinStandardHelpOptions = true,
    description =
        "Prints the SQL of Cohort's tables (the log, the barrier, the lease lock, the event store)"
            + " for one database, history rows included, for your own migration tool.")
final class SchemaCommand implements Callable<Integer> {
  /** Which component's tables to print. */
  enum Component {
    LOG,
    BARRIER,
    LOCK,
    EVENTSTORE,
    ALL
  }

  @Spec CommandSpec spec;

  @Option(
      names = "--database",
      required = true,
      converter = DatabaseConverter.class,
      description = "sqlite, postgresql or mariadb.")
  Database database;

  @Option(
      names = "--component",
      defaultValue = "all",
      converter = ComponentConverter.class,
      description = "log, barrier, lock, eventstore or all (default: ${DEFAULT-VALUE}).")
  Component component;

  @Option(
      names = "--barrier-table",
      defaultValue = Barrier.DEFAULT_TABLE,
      description = "The barrier table's name (default: ${DEFAULT-VALUE}).")
  String barrierTable;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    List<Schema> schemas = new ArrayList<>();
    if (component == Component.LOG || component == Component.ALL) {
      schemas.add(JdbcTransactionStore.schema());
    }
    if (component == Component.BARRIER || component == Component.ALL) {
      schemas.add(Barrier.schema(barrierTable));
    }
    if (component == Component.LOCK || component == Component.ALL) {
      schemas.add(LeaseLock.schema());
    }
    if (component == Component.EVENTSTORE || component == Component.ALL) {
      schemas.add(EventStore.schema());
    }
    for (Schema schema : schemas) {
      out.print(SchemaMigrator.of(schema).export(database));
      out.println();
    }
    out.flush();
    return CohortCli.OK;
  }

  /** Reads a component in any case, as the rest of the command line is written: log, lock. */
  static final class ComponentConverter implements picocli.CommandLine.ITypeConverter<Component> {
    @Override
    public Component convert(String value) {
      try {
        return Component.valueOf(value.strip().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new picocli.CommandLine.TypeConversionException(
            "unknown component '" + value + "'; use log, barrier, lock, eventstore or all");
      }
    }
  }

  /** Reads the database the way the rest of Cohort names it. */
  static final class DatabaseConverter implements picocli.CommandLine.ITypeConverter<Database> {
    @Override
    public Database convert(String value) {
      return Database.fromId(value);
    }
  }
}
