package dev.cohort.chaos;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How to start one supervised process: its command (an argument list, never a shell string), its
 * environment, the log file it appends to across restarts, and the URL that answers 200 once it is
 * ready.
 */
public record ProcessSpec(
    String name,
    List<String> command,
    Map<String, String> environment,
    Path logFile,
    URI healthUrl,
    Duration startTimeout) {
  public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(60);

  public ProcessSpec {
    Objects.requireNonNull(name, "name");
    command = List.copyOf(command);
    if (command.isEmpty()) {
      throw new IllegalArgumentException("process '" + name + "' needs a command");
    }
    environment = Map.copyOf(environment);
    Objects.requireNonNull(logFile, "logFile");
    Objects.requireNonNull(healthUrl, "healthUrl");
    Objects.requireNonNull(startTimeout, "startTimeout");
  }

  public static Builder builder(String name) {
    return new Builder(name);
  }

  public static final class Builder {
    private final String name;
    private final List<String> command = new ArrayList<>();
    private final Map<String, String> environment = new LinkedHashMap<>();
    private Path logFile;
    private URI healthUrl;
    private Duration startTimeout = DEFAULT_START_TIMEOUT;

    private Builder(String name) {
      this.name = Objects.requireNonNull(name, "name");
    }

    public Builder command(List<String> value) {
      command.clear();
      command.addAll(value);
      return this;
    }

    /**
     * A child JVM: this JVM's {@code java} binary, {@code jvmOptions}, {@code -cp classpath},
     * {@code mainClass} and {@code args}.
     */
    public Builder javaMain(
        List<String> jvmOptions, String classpath, String mainClass, List<String> args) {
      List<String> c = new ArrayList<>();
      c.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      c.addAll(jvmOptions);
      c.add("-cp");
      c.add(classpath);
      c.add(mainClass);
      c.addAll(args);
      return command(c);
    }

    public Builder env(String key, String value) {
      environment.put(key, value);
      return this;
    }

    public Builder logFile(Path value) {
      logFile = value;
      return this;
    }

    public Builder healthUrl(URI value) {
      healthUrl = value;
      return this;
    }

    public Builder startTimeout(Duration value) {
      startTimeout = value;
      return this;
    }

    public ProcessSpec build() {
      return new ProcessSpec(name, command, environment, logFile, healthUrl, startTimeout);
    }
  }
}
