package dev.cohort.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TotalsTest {
  private final AtomicReference<String> state = new AtomicReference<>();
  private HttpServer server;
  private URI url;

  @BeforeEach
  void serveState() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/admin/state",
        exchange -> {
          byte[] body = state.get().getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
    url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/admin/state");
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void aStateEndpointIsFlattenedWithDotsAndOnlyIntegersKept() throws Exception {
    state.set("{\"account\": {\"balance\": 90, \"frozen\": 10}, \"name\": \"x\", \"orders\": 3}");

    assertThat(Totals.fromJson(url, Duration.ofSeconds(5)).read())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("account.balance", 90L, "account.frozen", 10L, "orders", 3L));
  }

  @Test
  void moneyMovedBetweenBalanceAndFrozenIsConservedButMoneyLostIsNot() throws Exception {
    Totals money =
        Totals.fromJson(url, Duration.ofSeconds(5))
            .sum("money", "account.balance", "account.frozen");
    Invariant conserved = Invariants.conserved("money-conserved", money);
    RunRecord run = new RunRecord(List.of());
    state.set("{\"account\": {\"balance\": 100, \"frozen\": 0}}");
    conserved.beforeRun();

    state.set("{\"account\": {\"balance\": 70, \"frozen\": 30}}");
    assertThat(conserved.check(run)).isEmpty();
    assertThat(Invariants.allZero("nothing-frozen", () -> Map.of("frozen", 30L)).check(run))
        .extracting(Violation::toString)
        .containsExactly("nothing-frozen: frozen is 30 once every transaction ended");

    state.set("{\"account\": {\"balance\": 70, \"frozen\": 0}}");
    assertThat(conserved.check(run))
        .extracting(Violation::toString)
        .containsExactly("money-conserved: money was 100 before the run, 70 after");
  }

  @Test
  void aMissingTotalIsNamed() {
    state.set("{\"balance\": 1}");

    assertThatThrownBy(() -> Totals.fromJson(url, Duration.ofSeconds(5)).sum("m", "frozen").read())
        .hasMessageContaining("'frozen' is missing");
  }
}
