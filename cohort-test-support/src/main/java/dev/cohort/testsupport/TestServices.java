package dev.cohort.testsupport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * Entry point for integration tests: checks that a service is there and hands out connections to
 * it. Close it (e.g. in {@code @AfterAll}) to close the pools it opened.
 *
 * <pre>{@code
 * try (TestServices services = TestServices.load();
 *     DatabasePair db = services.postgres().isolated("orders_it")) {
 *   ... db.primary() ... db.replica() ...
 * }
 * }</pre>
 */
public final class TestServices implements AutoCloseable {
  private static final int PROBE_TIMEOUT_MILLIS = 2_000;

  private final ServiceSettings settings;
  private final List<AutoCloseable> opened = new ArrayList<>();

  TestServices(ServiceSettings settings) {
    this.settings = settings;
  }

  public static TestServices load() {
    return new TestServices(ServiceSettings.load());
  }

  public ServiceSettings settings() {
    return settings;
  }

  /** The PostgreSQL primary/replica pair, on the {@code cohort} database. */
  public DatabasePair postgres() {
    return register(
        DatabasePair.open(
            DatabaseKind.POSTGRES,
            requireReachable(Service.POSTGRES, "COHORT_PG_PRIMARY_URL", "PostgreSQL primary"),
            requireReachable(Service.POSTGRES, "COHORT_PG_REPLICA_URL", "PostgreSQL replica"),
            settings.get("COHORT_PG_USER").orElseThrow(),
            settings.get("COHORT_PG_PASSWORD").orElse("")));
  }

  /** The MariaDB primary/replica pair, on the {@code cohort} database. */
  public DatabasePair mariadb() {
    return register(
        DatabasePair.open(
            DatabaseKind.MARIADB,
            requireReachable(Service.MARIADB, "COHORT_MARIADB_PRIMARY_URL", "MariaDB primary"),
            requireReachable(Service.MARIADB, "COHORT_MARIADB_REPLICA_URL", "MariaDB replica"),
            settings.get("COHORT_MARIADB_USER").orElseThrow(),
            settings.get("COHORT_MARIADB_PASSWORD").orElse("")));
  }

  public URI redisUri() {
    return URI.create(requireReachable(Service.REDIS, "COHORT_REDIS_URL", "Redis"));
  }

  public URI amqpUri() {
    return URI.create(requireReachable(Service.RABBITMQ, "COHORT_AMQP_URL", "RabbitMQ"));
  }

  /**
   * The private RabbitMQ node that {@link #restartRestartableAmqp()} restarts; never the shared one
   * on the standard port, so that a restart disturbs no other test or user.
   */
  public URI restartableAmqpUri() {
    return URI.create(
        requireReachable(
            Service.RABBITMQ_RESTARTABLE, "COHORT_AMQP_RESTARTABLE_URL", "RabbitMQ (restartable)"));
  }

  /**
   * Stops and starts the RabbitMQ application of the restartable node ({@code scripts/services
   * restart-rabbitmq}) and returns once it listens again: every connection to it drops, durable
   * queues and persistent messages come back.
   */
  public void restartRestartableAmqp() {
    restartableAmqpUri();
    run(settings.get("COHORT_AMQP_RESTART_COMMAND").orElseThrow(), "RabbitMQ");
  }

  /** The private NATS server (JetStream on), which {@link #restartNats()} may restart. */
  public URI natsUri() {
    return URI.create(requireReachable(Service.NATS, "COHORT_NATS_URL", "NATS"));
  }

  /**
   * Stops and starts the private NATS server ({@code scripts/services restart-nats}) and returns
   * once it listens again: every connection to it drops, JetStream's streams and consumers come
   * back from its store.
   */
  public void restartNats() {
    natsUri();
    run(settings.get("COHORT_NATS_RESTART_COMMAND").orElseThrow(), "NATS");
  }

  private static void run(String command, String what) {
    try {
      Process p = new ProcessBuilder(List.of(command.split(" "))).redirectErrorStream(true).start();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.waitFor() != 0) {
        throw new ServiceUnavailableException(
            "restarting " + what + " with '" + command + "' failed: " + output);
      }
    } catch (IOException e) {
      throw new ServiceUnavailableException("could not run '" + command + "'", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ServiceUnavailableException("interrupted while restarting " + what, e);
    }
  }

  /** Where Chromium and its driver are, for browser tests (Debian's chromium, chromium-driver). */
  public record Browser(Path chromium, Path chromedriver) {}

  /**
   * The headless browser: not configured skips (or fails on CI) like every service; configured but
   * missing always fails, naming the file.
   */
  public Browser browser() {
    requireConfigured(Service.CHROMIUM);
    Path chromium = Path.of(settings.get("COHORT_CHROMIUM").orElseThrow());
    Path driver = Path.of(settings.get("COHORT_CHROMEDRIVER").orElseThrow());
    for (Path p : List.of(chromium, driver)) {
      if (!Files.isExecutable(p)) {
        throw new ServiceUnavailableException(
            p
                + " is not an executable file; it is configured in "
                + settings.describeSource()
                + ". `scripts/services up` installs Debian's chromium and chromium-driver.");
      }
    }
    return new Browser(chromium, driver);
  }

  /** The PostgreSQL replica's configured apply delay, in milliseconds. */
  public long postgresReplicaDelayMillis() {
    return settings.get("COHORT_PG_REPLICA_DELAY_MS").map(Long::parseLong).orElse(0L);
  }

  /**
   * Returns the setting's value after checking that its host answers on its port. Not configured:
   * skip (developer machine) or fail (CI). Configured but silent: always fail.
   */
  String requireReachable(Service service, String key, String what) {
    requireConfigured(service);
    String value = settings.get(key).orElseThrow();
    InetSocketAddress address = addressOf(value);
    try (Socket socket = new Socket()) {
      socket.connect(address, PROBE_TIMEOUT_MILLIS);
    } catch (IOException e) {
      throw new ServiceUnavailableException(
          what
              + " at "
              + address.getHostString()
              + ":"
              + address.getPort()
              + " does not answer ("
              + e.getMessage()
              + "); it is configured in "
              + settings.describeSource()
              + ". Is it stopped? `scripts/services up` starts it.",
          e);
    }
    return value;
  }

  /** Skips (developer machine) or fails (CI) when a setting of {@code service} is missing. */
  void requireConfigured(Service service) {
    for (String required : service.requiredKeys()) {
      if (settings.get(required).isEmpty()) {
        String message =
            service.displayName()
                + " is not configured: "
                + required
                + " is missing from "
                + settings.describeSource()
                + ". Start the services with `scripts/services up` (or run the README's test"
                + " command, which does).";
        if (settings.onCi()) {
          throw new ServiceUnavailableException(message);
        }
        Assumptions.abort(message);
      }
    }
  }

  static InetSocketAddress addressOf(String url) {
    String withoutJdbc = url.startsWith("jdbc:") ? url.substring("jdbc:".length()) : url;
    URI uri = URI.create(withoutJdbc);
    if (uri.getHost() == null || uri.getPort() < 0) {
      throw new IllegalArgumentException(
          "service URL '"
              + url
              + "' has no host:port; expected e.g. jdbc:postgresql://host:port/db");
    }
    return new InetSocketAddress(uri.getHost(), uri.getPort());
  }

  <T extends AutoCloseable> T register(T resource) {
    synchronized (opened) {
      opened.add(resource);
    }
    return resource;
  }

  @Override
  public void close() {
    List<AutoCloseable> toClose;
    synchronized (opened) {
      toClose = new ArrayList<>(opened);
      opened.clear();
    }
    RuntimeException failure = null;
    for (AutoCloseable resource : toClose.reversed()) {
      try {
        resource.close();
      } catch (Exception e) {
        if (failure == null) {
          failure = new IllegalStateException("closing test resources failed", e);
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }
}
