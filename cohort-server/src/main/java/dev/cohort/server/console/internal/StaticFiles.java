package dev.cohort.server.console.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/** The console's hand-written stylesheet and script, from the jar; nothing else is served. */
final class StaticFiles {
  private static final Map<String, String> TYPES =
      Map.of(
          "console.css", "text/css; charset=utf-8",
          "console.js", "text/javascript; charset=utf-8");

  private final Map<String, byte[]> bodies;

  StaticFiles() {
    this.bodies = Map.of("console.css", read("console.css"), "console.js", read("console.js"));
  }

  ConsoleResponse serve(String name) {
    byte[] body = bodies.get(name);
    if (body == null) {
      return ConsoleResponse.of(404, "text/plain; charset=utf-8", new byte[0], Map.of());
    }
    return ConsoleResponse.of(200, TYPES.get(name), body, Map.of());
  }

  private static byte[] read(String name) {
    String resource = "/dev/cohort/server/console/" + name;
    try (InputStream in = StaticFiles.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("the jar lacks " + resource + "; rebuild cohort-server");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + resource, e);
    }
  }
}
