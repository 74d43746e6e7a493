package dev.cohort.examples.shop.chaos;

import dev.cohort.chaos.ChaosCli;
import dev.cohort.chaos.SystemUnderTest;
import dev.cohort.chaos.SystemUnderTestFactory;
import dev.cohort.examples.shop.ShopService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The shop for the chaos CLI ({@code ./cohort chaos --shop ...}): {@code --set dir=PATH} (SQLite
 * files, the signing key, each process's log; default a new temporary directory) and {@code --set
 * kill=SERVICE} (the participant service run in its own process, the one killed; default {@code
 * account}).
 */
public final class ShopChaosFactory implements SystemUnderTestFactory {
  @Override
  public SystemUnderTest start(Map<String, String> settings) throws Exception {
    for (String key : settings.keySet()) {
      if (!key.equals("dir") && !key.equals("kill")) {
        throw new IllegalArgumentException(
            "the shop takes --set dir=PATH and --set kill=SERVICE, not '" + key + "'");
      }
    }
    Path dir =
        settings.containsKey("dir")
            ? Files.createDirectories(Path.of(settings.get("dir")))
            : Files.createTempDirectory("cohort-shop-chaos");
    ShopService kill = ShopService.fromCode(settings.getOrDefault("kill", "account"));
    System.out.println("the shop's SQLite files and process logs are in " + dir);
    return ShopChaos.start(dir, kill);
  }

  /** The chaos CLI with {@code --system} this factory; returns the exit status. */
  public static int cli(String... args) {
    List<String> all = new ArrayList<>(List.of("--system", ShopChaosFactory.class.getName()));
    all.addAll(List.of(args));
    return ChaosCli.run(all.toArray(String[]::new));
  }
}
