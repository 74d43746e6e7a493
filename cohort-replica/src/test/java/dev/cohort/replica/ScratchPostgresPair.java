package dev.cohort.replica;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A throwaway PostgreSQL primary + streaming replica in a fresh directory under the system temp
 * directory, for tests that promote the replica (never the shared pair of scripts/services). Built
 * from the installed binaries; run as user {@code postgres} when the build runs as root. Not under
 * {@code target/}: a checkout inside a private (0700) directory would lock the postgres account out
 * of it.
 */
final class ScratchPostgresPair implements AutoCloseable {
  private final Path bin;
  private final Path dir;
  private final int primaryPort;
  private final int replicaPort;
  private final List<HikariDataSource> pools = new ArrayList<>();

  private ScratchPostgresPair(Path bin, Path dir, int primaryPort, int replicaPort) {
    this.bin = bin;
    this.dir = dir;
    this.primaryPort = primaryPort;
    this.replicaPort = replicaPort;
  }

  static ScratchPostgresPair start() throws IOException, InterruptedException {
    return start("");
  }

  /**
   * As {@link #start()}, with the replica as the primary's synchronous standby; {@code
   * synchronous_commit = local} stays the default, so only a session that asks for {@code
   * remote_apply} waits for it.
   */
  static ScratchPostgresPair startWithSynchronousStandby()
      throws IOException, InterruptedException {
    return start("synchronous_standby_names = '*'\nsynchronous_commit = local\n");
  }

  private static ScratchPostgresPair start(String primaryConf)
      throws IOException, InterruptedException {
    Path bin = findBin();
    Path dir = Files.createTempDirectory("cohort-scratch-pg-");
    ScratchPostgresPair pair = new ScratchPostgresPair(bin, dir, freePort(), freePort());
    try {
      pair.init(primaryConf);
    } catch (IOException | InterruptedException | RuntimeException e) {
      pair.close();
      throw e;
    }
    return pair;
  }

  private static Path findBin() throws IOException {
    Path root = Path.of("/usr/lib/postgresql");
    if (!Files.isDirectory(root)) {
      Assumptions.abort("no PostgreSQL binaries under /usr/lib/postgresql");
    }
    try (Stream<Path> versions = Files.list(root)) {
      return versions
          .map(v -> v.resolve("bin"))
          .filter(b -> Files.isExecutable(b.resolve("initdb")))
          .max(Comparator.comparing(Path::toString))
          .orElseThrow(() -> new IOException("no initdb under " + root));
    }
  }

  private void init(String primaryConf) throws IOException, InterruptedException {
    if (isRoot()) {
      run("chown", "postgres:", dir.toString());
    }
    Path a = dir.resolve("a");
    Path b = dir.resolve("b");
    pg("initdb", "-D", a.toString(), "-U", "postgres", "--auth=trust", "-E", "UTF8");
    Files.writeString(
        a.resolve("postgresql.conf"),
        "\nlisten_addresses = '127.0.0.1'\nport = "
            + primaryPort
            + "\nunix_socket_directories = '"
            + dir
            + "'\nwal_level = replica\nmax_wal_senders = 5\nhot_standby = on\nfsync = off\n"
            + "shared_buffers = 16MB\n"
            + primaryConf,
        StandardOpenOption.APPEND);
    pg("pg_ctl", "-D", a.toString(), "-l", dir.resolve("a.log").toString(), "-w", "start");
    pg(
        "pg_basebackup",
        "-h",
        "127.0.0.1",
        "-p",
        String.valueOf(primaryPort),
        "-U",
        "postgres",
        "-D",
        b.toString(),
        "-R",
        "-X",
        "stream",
        "-c",
        "fast");
    Files.writeString(
        b.resolve("postgresql.conf"), "\nport = " + replicaPort + "\n", StandardOpenOption.APPEND);
    pg("pg_ctl", "-D", b.toString(), "-l", dir.resolve("b.log").toString(), "-w", "start");
  }

  HikariDataSource pool(String name, boolean primary) {
    return pool(name, primary, Duration.ofMillis(500));
  }

  /** A pool that waits up to {@code connectionTimeout} for a connection (a loaded machine). */
  HikariDataSource pool(String name, boolean primary, Duration connectionTimeout) {
    HikariConfig c = new HikariConfig();
    c.setPoolName("scratch-" + name);
    c.setJdbcUrl(
        "jdbc:postgresql://127.0.0.1:" + (primary ? primaryPort : replicaPort) + "/postgres");
    c.setUsername("postgres");
    c.setConnectionTimeout(connectionTimeout.toMillis());
    c.setInitializationFailTimeout(-1);
    c.setMinimumIdle(0);
    c.setMaximumPoolSize(4);
    HikariDataSource ds = new HikariDataSource(c);
    pools.add(ds);
    return ds;
  }

  /** Kills the primary at once, as a crash would. */
  void crashPrimary() throws IOException, InterruptedException {
    pg("pg_ctl", "-D", dir.resolve("a").toString(), "-m", "immediate", "-w", "stop");
  }

  /** Stops the replica (a standby cut off from its primary, or simply behind). */
  void stopReplica() throws IOException, InterruptedException {
    pg("pg_ctl", "-D", dir.resolve("b").toString(), "-m", "fast", "-w", "stop");
  }

  void startReplica() throws IOException, InterruptedException {
    pg(
        "pg_ctl",
        "-D",
        dir.resolve("b").toString(),
        "-l",
        dir.resolve("b.log").toString(),
        "-w",
        "start");
  }

  void promoteReplica() throws IOException, InterruptedException {
    pg("pg_ctl", "-D", dir.resolve("b").toString(), "-w", "promote");
  }

  private void pg(String tool, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    if (isRoot()) {
      cmd.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    cmd.add(bin.resolve(tool).toString());
    cmd.addAll(List.of(args));
    run(cmd.toArray(String[]::new));
  }

  private void run(String... cmd) throws IOException, InterruptedException {
    Path log = dir.resolve("commands.log");
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IOException(
          String.join(" ", cmd) + " failed; output in " + log + ":\n" + Files.readString(log));
    }
  }

  private static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() {
    pools.forEach(HikariDataSource::close);
    for (String node : new String[] {"a", "b"}) {
      Path data = dir.resolve(node);
      if (Files.exists(data.resolve("postmaster.pid"))) {
        try {
          pg("pg_ctl", "-D", data.toString(), "-m", "immediate", "-w", "stop");
        } catch (IOException | InterruptedException e) {
          if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
          }
        }
      }
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException e) {
      System.err.println("could not delete the scratch PostgreSQL pair in " + dir + ": " + e);
    }
  }
}
