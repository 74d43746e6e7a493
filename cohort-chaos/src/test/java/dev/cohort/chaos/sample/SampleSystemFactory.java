package dev.cohort.chaos.sample;

import dev.cohort.chaos.SystemUnderTest;
import dev.cohort.chaos.SystemUnderTestFactory;
import dev.cohort.testsupport.TestServices;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The sample system for the CLI's long run: {@code --set dir=PATH} (default: a temporary
 * directory), {@code --set participantFlags="--fail-stock-every 11 --error-after-first-cancel"},
 * {@code --set schema=chaos_long}; PostgreSQL from {@code scripts/services up}.
 */
public final class SampleSystemFactory implements SystemUnderTestFactory {
  @Override
  public SystemUnderTest start(Map<String, String> settings) throws Exception {
    Path dir =
        settings.containsKey("dir")
            ? Files.createDirectories(Path.of(settings.get("dir")))
            : Files.createTempDirectory("cohort-chaos");
    String flags =
        settings.getOrDefault(
            "participantFlags", "--fail-stock-every 11 --error-after-first-cancel");
    List<String> participantFlags =
        flags.isBlank() ? List.of() : Arrays.asList(flags.trim().split("\\s+"));
    System.out.println("logs and the coordinator's SQLite log in " + dir);
    return SampleSystem.start(
        TestServices.load().postgres().isolated(settings.getOrDefault("schema", "chaos_long")),
        dir,
        participantFlags);
  }
}
