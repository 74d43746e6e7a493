package dev.cohort.testsupport;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The connection settings written by {@code scripts/services up}. Environment variables of the same
 * name win over the file, so a developer can point tests at other servers.
 */
public final class ServiceSettings {
  /** System property naming the settings file; the build sets it to the reactor's file. */
  public static final String FILE_PROPERTY = "cohort.services.file";

  static final String DEFAULT_RELATIVE_FILE = "target/services.properties";

  private final Map<String, String> environment;
  private final Properties file;
  private final Optional<Path> source;

  ServiceSettings(Map<String, String> environment, Properties file, Optional<Path> source) {
    this.environment = Map.copyOf(environment);
    this.file = file;
    this.source = source;
  }

  /** Reads the settings of this process: its environment and the services file, if any. */
  public static ServiceSettings load() {
    Optional<Path> path = locateFile();
    Properties properties = new Properties();
    path.ifPresent(p -> read(p, properties));
    return new ServiceSettings(System.getenv(), properties, path);
  }

  public Optional<String> get(String key) {
    String value = environment.get(key);
    if (value == null) {
      value = file.getProperty(key);
    }
    return Optional.ofNullable(value).filter(v -> !v.isBlank() || key.endsWith("_PASSWORD"));
  }

  /** Where the settings came from, for error messages. */
  public String describeSource() {
    return source
        .map(p -> "environment variables and " + p)
        .orElse("environment variables (no " + DEFAULT_RELATIVE_FILE + " found)");
  }

  /** Whether this run is on CI, where a missing service must fail instead of skipping. */
  public boolean onCi() {
    return "true".equalsIgnoreCase(environment.getOrDefault("CI", ""));
  }

  private static Optional<Path> locateFile() {
    String configured = System.getProperty(FILE_PROPERTY);
    if (configured != null && !configured.isBlank()) {
      Path path = Path.of(configured);
      return Files.isRegularFile(path) ? Optional.of(path) : Optional.empty();
    }
    // Run from an IDE: walk up from the working directory to the reactor root.
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve(DEFAULT_RELATIVE_FILE);
      if (Files.isRegularFile(candidate) && Files.exists(dir.resolve("mvnw"))) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  private static void read(Path path, Properties into) {
    try (Reader reader = Files.newBufferedReader(path)) {
      into.load(reader);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the services file " + path, e);
    }
  }
}
