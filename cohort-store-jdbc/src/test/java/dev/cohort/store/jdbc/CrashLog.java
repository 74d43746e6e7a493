package dev.cohort.store.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.cohort.jdbc.Database;
import java.nio.file.Path;
import java.util.List;

/**
 * Where a crash test's log lives, as the command-line arguments the killed child gets: {@code
 * sqlite <file>}, or {@code postgresql|mariadb <url> <user> <password>}. Parent and child open the
 * same log from it.
 */
record CrashLog(Database database, String location, String user, String password) {
  static CrashLog sqlite(Path file) {
    return new CrashLog(Database.SQLITE, file.toString(), null, null);
  }

  List<String> args() {
    return database == Database.SQLITE
        ? List.of("sqlite", location)
        : List.of(database.name().toLowerCase(java.util.Locale.ROOT), location, user, password);
  }

  /** The log of {@code args} (as {@link #args()} wrote them) and how many arguments it took. */
  static CrashLog parse(String[] args, int from) {
    if (args[from].equals("sqlite")) {
      return sqlite(Path.of(args[from + 1]));
    }
    Database database = Database.valueOf(args[from].toUpperCase(java.util.Locale.ROOT));
    return new CrashLog(database, args[from + 1], args[from + 2], args[from + 3]);
  }

  int argCount() {
    return args().size();
  }

  JdbcTransactionStore open() {
    if (database == Database.SQLITE) {
      return JdbcTransactionStore.sqlite(Path.of(location));
    }
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(location);
    config.setUsername(user);
    config.setPassword(password);
    config.setMaximumPoolSize(8);
    HikariDataSource pool = new HikariDataSource(config);
    return JdbcTransactionStore.builder(pool, database).closePoolOnClose(pool).build();
  }
}
