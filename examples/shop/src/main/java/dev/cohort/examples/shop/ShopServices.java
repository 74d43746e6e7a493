package dev.cohort.examples.shop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Starts shop services: one (its own process: {@code ShopMain <service>}) or all five as separate
 * Spring contexts on separate ports in one JVM. The same properties either way.
 */
public final class ShopServices implements AutoCloseable {
  private final Map<ShopService, ConfigurableApplicationContext> contexts;
  private final Map<ShopService, String> urls;

  private ShopServices(
      Map<ShopService, ConfigurableApplicationContext> contexts, Map<ShopService, String> urls) {
    this.contexts = contexts;
    this.urls = urls;
  }

  /** All five in this JVM, on free ports (or {@code basePort}, {@code basePort + 1}, ...). */
  public static ShopServices startAll(ShopSettings settings, int basePort) {
    Map<ShopService, String> urls = new EnumMap<>(ShopService.class);
    Map<ShopService, Integer> ports = new EnumMap<>(ShopService.class);
    int next = basePort;
    for (ShopService s : ShopService.values()) {
      int port = basePort == 0 ? freePort() : next++;
      ports.put(s, port);
      urls.put(s, "http://127.0.0.1:" + port);
    }
    Map<ShopService, ConfigurableApplicationContext> contexts = new EnumMap<>(ShopService.class);
    List<ShopService> order = new ArrayList<>(List.of(ShopService.values()));
    // The participants first: the order service calls them as soon as it takes purchases.
    order.remove(ShopService.ORDER);
    order.add(ShopService.ORDER);
    try {
      for (ShopService s : order) {
        contexts.put(s, start(s, ports.get(s), settings, urls));
      }
    } catch (RuntimeException e) {
      contexts.values().forEach(ConfigurableApplicationContext::close);
      throw e;
    }
    return new ShopServices(contexts, urls);
  }

  /**
   * The services {@code here} in this JVM, each on the port of its URL in {@code urls} (which also
   * says where the others are).
   */
  public static ShopServices startSome(
      ShopSettings settings, Set<ShopService> here, Map<ShopService, String> urls) {
    Map<ShopService, String> all = new EnumMap<>(urls);
    for (ShopService s : ShopService.values()) {
      if (!all.containsKey(s)) {
        throw new IllegalArgumentException(
            "--urls must give every service's URL; " + s.code() + " is missing");
      }
    }
    Map<ShopService, ConfigurableApplicationContext> contexts = new EnumMap<>(ShopService.class);
    List<ShopService> order = new ArrayList<>(here);
    order.sort(Comparator.comparing(s -> s == ShopService.ORDER)); // the order service last
    try {
      for (ShopService s : order) {
        contexts.put(s, start(s, URI.create(all.get(s)).getPort(), settings, all));
      }
    } catch (RuntimeException e) {
      contexts.values().forEach(ConfigurableApplicationContext::close);
      throw e;
    }
    return new ShopServices(contexts, all);
  }

  /** One service; {@code urls} says where the others are (the order service needs them). */
  public static ConfigurableApplicationContext start(
      ShopService service, int port, ShopSettings settings, Map<ShopService, String> urls) {
    return new SpringApplicationBuilder(service.application())
        .properties(properties(service, port, settings, urls))
        .run();
  }

  static Map<String, Object> properties(
      ShopService service, int port, ShopSettings settings, Map<ShopService, String> urls) {
    Map<String, Object> p = new TreeMap<>();
    p.put("server.port", String.valueOf(port));
    p.put("server.address", "127.0.0.1");
    p.put("spring.main.banner-mode", "off");
    p.put("spring.jmx.enabled", "false");
    p.put("spring.application.name", "shop-" + service.code());
    String db = settings.databases().get(service);
    if (db == null) {
      throw new IllegalArgumentException(
          "no database given for the " + service.code() + " service");
    }
    p.put("spring.datasource.url", db);
    if (settings.dbUser() != null) {
      p.put("spring.datasource.username", settings.dbUser());
      p.put(
          "spring.datasource.password", settings.dbPassword() == null ? "" : settings.dbPassword());
    }
    // SQLite has one writer: one connection avoids lock errors between the service's own writes.
    p.put("spring.datasource.hikari.maximum-pool-size", db.startsWith("jdbc:sqlite:") ? "1" : "8");
    p.put("spring.datasource.hikari.pool-name", "shop-" + service.code());
    p.put("cohort.embedded.enabled", "false");
    p.put("cohort.participant.signing-keys.shop", settings.signingKey());
    p.put("shop.signing-key", settings.signingKey());
    p.put("shop.service", service.code());
    p.put("shop.coordinator.url", settings.coordinatorUrl());
    // The starter's held-branch resolver: quicker than its defaults, for a demo that injects
    // faults.
    p.put("cohort.participant.resolver.hold-threshold", "20s");
    p.put("cohort.participant.resolver.period", "2s");
    p.put("shop.crash", settings.crashStops() ? "stop" : "halt");
    if (settings.coordinatorToken() != null) {
      p.put("shop.coordinator.token", settings.coordinatorToken());
    }
    if (service == ShopService.ORDER) {
      p.put("cohort.server.url", settings.coordinatorUrl());
      if (settings.coordinatorToken() != null) {
        p.put("cohort.server.token", settings.coordinatorToken());
      }
    }
    urls.forEach((s, url) -> p.put("shop.urls." + s.code(), url));
    p.putAll(settings.extra());
    return p;
  }

  public String url(ShopService service) {
    return urls.get(service);
  }

  public Map<ShopService, String> urls() {
    return Map.copyOf(urls);
  }

  public ConfigurableApplicationContext context(ShopService service) {
    return contexts.get(service);
  }

  /** Starts a service again (after a crash or a stop) on its port and database. */
  public synchronized void restart(ShopService service, ShopSettings settings) {
    ConfigurableApplicationContext old = contexts.get(service);
    if (old != null && old.isActive()) {
      old.close();
    }
    int port =
        Integer.parseInt(urls.get(service).substring(urls.get(service).lastIndexOf(':') + 1));
    contexts.put(service, start(service, port, settings, urls));
  }

  @Override
  public void close() {
    for (ConfigurableApplicationContext c : contexts.values()) {
      c.close();
    }
  }

  static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port on 127.0.0.1", e);
    }
  }
}
