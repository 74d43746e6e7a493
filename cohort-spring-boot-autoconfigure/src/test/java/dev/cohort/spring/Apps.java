package dev.cohort.spring;

import java.util.Map;
import java.util.TreeMap;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Starts a test service as a real Spring Boot application on a free port. Plain {@code
 * SpringApplicationBuilder}, so the same tests run on Boot 4 and Boot 3.5.
 */
final class Apps {
  private Apps() {}

  static ConfigurableApplicationContext start(Class<?> app, Map<String, Object> properties) {
    Map<String, Object> all = new TreeMap<>(properties);
    all.put("server.port", "0");
    all.put("server.address", "127.0.0.1");
    all.put("spring.main.banner-mode", "off");
    all.put("spring.jmx.enabled", "false");
    return new SpringApplicationBuilder(app).properties(all).run();
  }

  static String url(ConfigurableApplicationContext context, String path) {
    return "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port") + path;
  }
}
