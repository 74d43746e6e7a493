package dev.cohort.examples.shop;

import dev.cohort.examples.shop.chaos.ShopChaosFactory;
import dev.cohort.examples.shop.demo.ShopDemo;
import dev.cohort.server.cli.CohortCli;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * The shop's one launcher:
 *
 * <pre>
 * demo [--exit] [--purchases N] [--dir D] [--port P]     coordinator + five services + purchases
 * all --coordinator URL --key K [--token T] [--dir D] [--base-port P]   five services, one JVM
 *     [--only order,points,... --urls order=URL,account=URL,...]    (some of them, at these URLs)
 * server ...                                              the coordinator server (cohort server)
 * chaos [ChaosCli options]                                the chaos checker against the shop
 * SERVICE --port P --db JDBC-URL --coordinator URL --key K [--token T]
 *         [--db-user U --db-password W] [--urls order=URL,account=URL,...]   one service
 * </pre>
 *
 * SERVICE is order, account, inventory, points or warehouse. Other {@code --name=value} arguments
 * are passed to Spring (e.g. {@code --shop.faults=fail:2:confirm}).
 */
public final class ShopMain {
  static final int USAGE = 2;

  private ShopMain() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("server")) {
      // The coordinator from this jar, so the chaos checker can run it as a child process: it
      // returns once the server has shut down and exits non-zero by itself on failure.
      CohortCli.main(args);
      return;
    }
    if (args.length > 0 && args[0].equals("chaos")) {
      System.exit(ShopChaosFactory.cli(Arrays.copyOfRange(args, 1, args.length)));
    }
    System.exit(run(args, new PrintWriter(System.out, true, StandardCharsets.UTF_8)));
  }

  static int run(String[] args, PrintWriter out) throws Exception {
    if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
      out.println(usage());
      return args.length == 0 ? USAGE : 0;
    }
    String command = args[0];
    Options o = Options.parse(List.of(args).subList(1, args.length));
    return switch (command) {
      case "demo" -> ShopDemo.run(o.flags, out);
      case "all" -> all(o, out);
      default -> one(ShopService.fromCode(command), o, out);
    };
  }

  private static int all(Options o, PrintWriter out) throws InterruptedException, Exception {
    Path dir = Path.of(o.get("--dir", "target/shop"));
    Files.createDirectories(dir);
    ShopSettings settings =
        new ShopSettings(
            o.required("--coordinator"),
            o.get("--token", null),
            o.required("--key"),
            ShopSettings.sqliteFiles(dir),
            null,
            null,
            true,
            o.spring);
    String only = o.get("--only", null);
    try (ShopServices shop =
        only == null
            ? ShopServices.startAll(settings, Integer.parseInt(o.get("--base-port", "0")))
            : ShopServices.startSome(settings, services(only), urls(o))) {
      shop.urls().forEach((s, url) -> out.println(s.code() + " " + url));
      out.flush();
      awaitShutdown();
    }
    return 0;
  }

  private static int one(ShopService service, Options o, PrintWriter out) throws Exception {
    Map<ShopService, String> dbs = new EnumMap<>(ShopService.class);
    dbs.put(service, o.required("--db"));
    ShopSettings settings =
        new ShopSettings(
            o.required("--coordinator"),
            o.get("--token", null),
            o.required("--key"),
            dbs,
            o.get("--db-user", null),
            o.get("--db-password", null),
            false,
            o.spring);
    Map<ShopService, String> urls = urls(o);
    int port = Integer.parseInt(o.required("--port"));
    urls.putIfAbsent(service, "http://127.0.0.1:" + port);
    try (var context = ShopServices.start(service, port, settings, urls)) {
      out.println(
          service.code()
              + " http://127.0.0.1:"
              + context.getEnvironment().getProperty("local.server.port"));
      out.flush();
      awaitShutdown();
    }
    return 0;
  }

  private static Set<ShopService> services(String list) {
    Set<ShopService> services = EnumSet.noneOf(ShopService.class);
    for (String code : list.split(",", -1)) {
      services.add(ShopService.fromCode(code.trim()));
    }
    return services;
  }

  private static Map<ShopService, String> urls(Options o) {
    Map<ShopService, String> urls = new EnumMap<>(ShopService.class);
    for (String pair : o.get("--urls", "").split(",", -1)) {
      if (!pair.isBlank()) {
        String[] kv = pair.split("=", 2);
        if (kv.length != 2) {
          throw new IllegalArgumentException(
              "--urls takes service=URL pairs separated by commas, got '" + pair + "'");
        }
        urls.put(ShopService.fromCode(kv[0].trim()), kv[1].trim());
      }
    }
    return urls;
  }

  static void awaitShutdown() throws InterruptedException {
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown, "shop-shutdown"));
    stopped.await();
  }

  static String usage() {
    return """
    usage: java -jar cohort-shop.jar demo [--exit] [--purchases N] [--dir D] [--port P]
           java -jar cohort-shop.jar all --coordinator URL --key KEY [--token T] [--dir D] [--base-port P]
               [--only SERVICE,... --urls order=URL,account=URL,...]
           java -jar cohort-shop.jar SERVICE --port P --db JDBC-URL --coordinator URL --key KEY
               [--token T] [--db-user U --db-password W] [--urls order=URL,account=URL,...]
           java -jar cohort-shop.jar server [cohort server options]
           java -jar cohort-shop.jar chaos [--set KEY=VALUE ...] --mix tcc=1,saga=1 --purchases N ...
    SERVICE: order, account, inventory, points, warehouse; --name=value passes a Spring property\
    """;
  }

  /** {@code --name value} options, bare flags, and {@code --x.y=value} Spring properties. */
  static final class Options {
    final Map<String, String> values = new HashMap<>();
    final Map<String, String> spring = new HashMap<>();
    final List<String> flags = new ArrayList<>();

    static Options parse(List<String> args) {
      Options o = new Options();
      for (int i = 0; i < args.size(); i++) {
        String a = args.get(i);
        if (a.startsWith("--") && a.contains("=")) {
          String[] kv = a.substring(2).split("=", 2);
          o.spring.put(kv[0], kv[1]);
        } else if (a.startsWith("--") && i + 1 < args.size() && !args.get(i + 1).startsWith("--")) {
          o.values.put(a, args.get(++i));
        } else {
          o.flags.add(a);
        }
      }
      o.values.forEach((k, v) -> o.flags.addAll(List.of(k, v)));
      return o;
    }

    String get(String name, String fallback) {
      return values.getOrDefault(name, fallback);
    }

    String required(String name) {
      String v = values.get(name);
      if (v == null) {
        throw new IllegalArgumentException("missing " + name + "\n" + usage());
      }
      return v;
    }
  }
}
