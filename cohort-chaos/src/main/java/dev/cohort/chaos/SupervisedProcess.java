package dev.cohort.chaos;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A child process the checker starts, kills with SIGKILL ({@link Process#destroyForcibly()}) and
 * restarts with the same command, environment and log file (appended, so the log of every life is
 * kept), waiting each time until its health URL answers 200.
 */
public final class SupervisedProcess implements Restartable, AutoCloseable {
  private static final Duration HEALTH_POLL = Duration.ofMillis(100);
  private static final Duration HEALTH_CALL_TIMEOUT = Duration.ofSeconds(2);
  private static final Duration KILL_WAIT = Duration.ofSeconds(30);
  private static final int LOG_TAIL_CHARS = 2000;

  private final ProcessSpec spec;
  private final HttpClient http;
  private Process process;
  private int starts;
  private int kills;

  private SupervisedProcess(ProcessSpec spec) {
    this.spec = Objects.requireNonNull(spec, "spec");
    this.http = HttpClient.newBuilder().connectTimeout(HEALTH_CALL_TIMEOUT).build();
  }

  /** Starts the process and returns once it is healthy. */
  public static SupervisedProcess start(ProcessSpec spec) throws IOException, InterruptedException {
    SupervisedProcess p = new SupervisedProcess(spec);
    try {
      p.launch();
    } catch (IOException | InterruptedException | RuntimeException e) {
      p.close();
      throw e;
    }
    return p;
  }

  @Override
  public String name() {
    return spec.name();
  }

  public ProcessSpec spec() {
    return spec;
  }

  public synchronized boolean isAlive() {
    return process != null && process.isAlive();
  }

  public synchronized long pid() {
    return process.pid();
  }

  /** How many times it was started, the first start included. */
  public synchronized int starts() {
    return starts;
  }

  public synchronized int kills() {
    return kills;
  }

  @Override
  public synchronized void kill() throws InterruptedException {
    if (process == null || !process.isAlive()) {
      throw new IllegalStateException(spec.name() + " is not running, there is nothing to kill");
    }
    process.destroyForcibly();
    if (!process.waitFor(KILL_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException(
          spec.name() + " (pid " + process.pid() + ") still runs " + KILL_WAIT + " after SIGKILL");
    }
    kills++;
  }

  @Override
  public synchronized void restart() throws IOException, InterruptedException {
    if (process != null && process.isAlive()) {
      throw new IllegalStateException(
          spec.name() + " (pid " + process.pid() + ") is running; kill it before a restart");
    }
    launch();
  }

  private void launch() throws IOException, InterruptedException {
    Files.createDirectories(spec.logFile().toAbsolutePath().getParent());
    ProcessBuilder builder =
        new ProcessBuilder(spec.command())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(spec.logFile().toFile()));
    builder.environment().putAll(spec.environment());
    process = builder.start();
    starts++;
    awaitHealthy();
  }

  private void awaitHealthy() throws InterruptedException {
    long deadline = System.nanoTime() + spec.startTimeout().toNanos();
    String last = "no answer yet";
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            spec.name()
                + " exited with "
                + process.exitValue()
                + " before "
                + spec.healthUrl()
                + " answered 200; end of "
                + spec.logFile()
                + ":\n"
                + logTail());
      }
      try {
        int status =
            http.send(
                    HttpRequest.newBuilder(spec.healthUrl()).timeout(HEALTH_CALL_TIMEOUT).build(),
                    HttpResponse.BodyHandlers.discarding())
                .statusCode();
        if (status == 200) {
          return;
        }
        last = "answered " + status;
      } catch (IOException e) {
        last = e.toString();
      }
      // Polling a process that is starting: the wait is real, there is nothing to be told by.
      Thread.sleep(HEALTH_POLL.toMillis());
    }
    throw new IllegalStateException(
        spec.name()
            + " (pid "
            + process.pid()
            + ") was not healthy at "
            + spec.healthUrl()
            + " within "
            + spec.startTimeout()
            + " (last: "
            + last
            + "); end of "
            + spec.logFile()
            + ":\n"
            + logTail());
  }

  private String logTail() {
    try {
      String log = Files.readString(spec.logFile(), StandardCharsets.UTF_8);
      return log.substring(Math.max(0, log.length() - LOG_TAIL_CHARS));
    } catch (IOException e) {
      return "(log unreadable: " + e + ")";
    }
  }

  /** Kills the process if it runs. */
  @Override
  public synchronized void close() {
    if (process != null) {
      process.destroyForcibly();
    }
    http.close();
  }

  @Override
  public String toString() {
    return "SupervisedProcess[" + spec.name() + ", " + List.of(spec.healthUrl()) + "]";
  }
}
