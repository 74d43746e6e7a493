package dev.cohort.bench.spring;

import dev.cohort.bench.ClosedLoop;
import dev.cohort.protocol.CallSignature;
import dev.cohort.protocol.Operation;
import dev.cohort.spring.TccEndpoint;
import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The starter's overhead per participant call: a TCC try served by a {@link TccEndpoint} bean
 * (signature check, barrier row, the handler, in one Spring transaction) against a plain Spring MVC
 * {@code @Transactional} endpoint doing the same row update, in the same application, on the same
 * PostgreSQL database, measured in alternating rounds. Each try has a new gid, as every
 * transaction's try does.
 *
 * <p>Arguments (all optional): {@code seconds=5 warmup=2 callers=1,8 rounds=3
 * services=target/services.properties}. PostgreSQL comes from the services file that {@code
 * scripts/services up} writes.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
@Import(StarterOverheadBench.Plain.class)
public class StarterOverheadBench {
  static final String KEY_ID = "bench";
  static final String SECRET = "bench-secret-0123456789abcdef0123456789";
  static final int ACCOUNTS = 64;

  /** The payload of both endpoints. */
  public record Payment(String account, long cents) {}

  @Bean
  TccEndpoint<Payment> benchPay(JdbcTemplate jdbc) {
    return TccEndpoint.of(
        "pay", Payment.class, (p, call) -> freeze(jdbc, p), (p, call) -> {}, (p, call) -> {});
  }

  static void freeze(JdbcTemplate jdbc, Payment p) {
    jdbc.update(
        "UPDATE bench_account SET frozen = frozen + ? WHERE id = ?", p.cents(), p.account());
  }

  /** The baseline: the same update behind a plain Spring MVC endpoint. */
  @RestController
  public static class Plain {
    private final JdbcTemplate jdbc;

    Plain(JdbcTemplate jdbc) {
      this.jdbc = jdbc;
    }

    @PostMapping("/plain/pay")
    @Transactional
    public Map<String, String> pay(@RequestBody Payment p) {
      freeze(jdbc, p);
      return Map.of("result", "applied");
    }
  }

  StarterOverheadBench() {}

  public static void main(String[] args) throws Exception {
    Properties a = ClosedLoop.arguments(args);
    int seconds = Integer.parseInt(a.getProperty("seconds", "5"));
    int warmup = Integer.parseInt(a.getProperty("warmup", "2"));
    int rounds = Integer.parseInt(a.getProperty("rounds", "3"));
    List<Integer> callers =
        List.of(a.getProperty("callers", "1,8").split(",")).stream()
            .map(String::trim)
            .map(Integer::parseInt)
            .toList();
    Properties s = settings(Path.of(a.getProperty("services", "target/services.properties")));

    Map<String, Object> p = new HashMap<>();
    p.put("server.port", "0");
    p.put("server.address", "127.0.0.1");
    p.put("spring.main.banner-mode", "off");
    p.put("spring.datasource.url", s.getProperty("COHORT_PG_PRIMARY_URL"));
    p.put("spring.datasource.username", s.getProperty("COHORT_PG_USER"));
    p.put("spring.datasource.password", s.getProperty("COHORT_PG_PASSWORD", ""));
    p.put("spring.datasource.hikari.maximum-pool-size", "16");
    p.put("cohort.embedded.enabled", "false");
    p.put("cohort.participant.signing-keys." + KEY_ID, SECRET);
    try (ConfigurableApplicationContext app =
            new SpringApplicationBuilder(StarterOverheadBench.class).properties(p).run();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
      JdbcTemplate jdbc = app.getBean(JdbcTemplate.class);
      jdbc.execute("DROP TABLE IF EXISTS bench_account");
      jdbc.execute(
          "CREATE TABLE bench_account (id TEXT PRIMARY KEY, balance BIGINT NOT NULL, frozen"
              + " BIGINT NOT NULL)");
      for (int i = 0; i < ACCOUNTS; i++) {
        jdbc.update("INSERT INTO bench_account VALUES (?, 1000000000, 0)", "a" + i);
      }
      String base = "http://127.0.0.1:" + app.getEnvironment().getProperty("local.server.port");
      URI starterUrl = URI.create(base + "/cohort/participants/pay");
      URI plainUrl = URI.create(base + "/plain/pay");
      CallSignature signer =
          new CallSignature(
              Map.of(KEY_ID, SECRET.getBytes(StandardCharsets.UTF_8)),
              KEY_ID,
              CallSignature.DEFAULT_MAX_SKEW,
              Clock.systemUTC());
      AtomicLong gids = new AtomicLong();
      String run = Long.toString(System.currentTimeMillis(), 36);
      ClosedLoop.Task plain =
          () -> {
            byte[] body = body();
            expect200(
                http.send(
                    HttpRequest.newBuilder(plainUrl)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                        .build(),
                    HttpResponse.BodyHandlers.ofString()));
          };
      ClosedLoop.Task starter =
          () -> {
            byte[] body = body();
            HttpRequest.Builder r =
                HttpRequest.newBuilder(starterUrl)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body));
            signer
                .sign(
                    "bench-" + run + "-" + gids.incrementAndGet(),
                    "pay",
                    Operation.TRY.code(),
                    body)
                .forEach(r::header);
            expect200(http.send(r.build(), HttpResponse.BodyHandlers.ofString()));
          };

      System.out.println(
          "callers  round  plain calls/s  plain p50 ms  starter calls/s  starter p50 ms"
              + "  p50 ratio  throughput ratio");
      for (int c : callers) {
        double plainSum = 0;
        double starterSum = 0;
        double plainP50 = 0;
        double starterP50 = 0;
        for (int round = 1; round <= rounds; round++) {
          ClosedLoop.Result pr = ClosedLoop.run(plain, c, warmup, seconds, false);
          ClosedLoop.Result sr = ClosedLoop.run(starter, c, warmup, seconds, false);
          if (pr.errors() + sr.errors() > 0) {
            System.out.printf("  errors: plain %d, starter %d%n", pr.errors(), sr.errors());
          }
          System.out.printf(
              Locale.ROOT,
              "%7d  %5d  %13.0f  %12.2f  %15.0f  %14.2f  %9.2f  %16.2f%n",
              c,
              round,
              pr.perSecond(),
              pr.p50Millis(),
              sr.perSecond(),
              sr.p50Millis(),
              sr.p50Millis() / pr.p50Millis(),
              sr.perSecond() / pr.perSecond());
          plainSum += pr.perSecond();
          starterSum += sr.perSecond();
          plainP50 += pr.p50Millis();
          starterP50 += sr.p50Millis();
        }
        System.out.printf(
            Locale.ROOT,
            "%7d    all  %13.0f  %12.2f  %15.0f  %14.2f  %9.2f  %16.2f%n",
            c,
            plainSum / rounds,
            plainP50 / rounds,
            starterSum / rounds,
            starterP50 / rounds,
            starterP50 / plainP50,
            starterSum / plainSum);
      }
      jdbc.execute("DROP TABLE IF EXISTS bench_account");
    }
  }

  private static byte[] body() {
    int account = ThreadLocalRandom.current().nextInt(ACCOUNTS);
    return ("{\"account\":\"a" + account + "\",\"cents\":1}").getBytes(StandardCharsets.UTF_8);
  }

  private static void expect200(HttpResponse<String> response) {
    if (response.statusCode() != 200) {
      throw new IllegalStateException("answered " + response.statusCode() + ": " + response.body());
    }
  }

  private static Properties settings(Path file) throws IOException {
    Properties p = new Properties();
    if (Files.exists(file)) {
      try (Reader r = Files.newBufferedReader(file)) {
        p.load(r);
      }
    }
    if (p.getProperty("COHORT_PG_PRIMARY_URL") == null) {
      throw new IllegalStateException(
          "no PostgreSQL settings in " + file + ": run scripts/services up first");
    }
    return p;
  }
}
