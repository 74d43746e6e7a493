package dev.cohort.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.cohort.coordinator.Coordinator;
import dev.cohort.coordinator.http.HttpParticipant;
import dev.cohort.participant.BarrierResult;
import dev.cohort.participant.BranchSettler;
import dev.cohort.participant.HeldBranch;
import dev.cohort.participant.HeldBranchResolver;
import dev.cohort.participant.OutcomeSource;
import dev.cohort.protocol.v1.Credential;
import dev.cohort.store.jdbc.JdbcTransactionStore;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Presumed abort end to end: a one-shot TCC over {@code /v1} whose second try stalls, and the first
 * participant's {@link HeldBranchResolver} asking the server with a reader token, as
 * docs/protocol.md tells a participant to.
 */
class PresumedAbortHttpTest {
  static final String OPERATOR = "operator-token-0123456789abcdef";
  static final String READER = "reader-token-0123456789ab";

  @TempDir Path dir;
  CohortServer server;
  ApiClient api;
  HttpServer participants;
  final List<String> calls = Collections.synchronizedList(new ArrayList<>());
  final CountDownLatch stockTryArrived = new CountDownLatch(1);
  final CountDownLatch releaseStockTry = new CountDownLatch(1);

  @BeforeEach
  void start() throws IOException {
    participants =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
    participants.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    participants.createContext("/", this::handle);
    participants.start();
    server =
        CohortServer.builder(JdbcTransactionStore.sqlite(dir.resolve("log.db")))
            .port(0)
            .token(OPERATOR)
            .accessToken(AccessToken.reader("participants", READER))
            .httpParticipant(HttpParticipant.builder().unsigned().build())
            .build()
            .start();
    api = new ApiClient(server.port(), OPERATOR);
  }

  @AfterEach
  void stop() {
    releaseStockTry.countDown();
    server.close();
    participants.stop(0);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange;
        InputStream in = exchange.getRequestBody()) {
      in.readAllBytes();
      String path = exchange.getRequestURI().getPath();
      calls.add(path);
      if (path.equals("/stock/try")) {
        stockTryArrived.countDown();
        releaseStockTry.await(30, TimeUnit.SECONDS);
      }
      exchange.sendResponseHeaders(200, -1);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private String branch(String id, String service) {
    String base = "http://127.0.0.1:" + participants.getAddress().getPort() + "/" + service;
    return "{\"branchId\":\""
        + id
        + "\",\"try\":\""
        + base
        + "/try\",\"confirm\":\""
        + base
        + "/confirm\",\"cancel\":\""
        + base
        + "/cancel\",\"payload\":{\"n\":1}}";
  }

  @Test
  void aParticipantsResolverRollsBackAPresumedAbortTransactionWhoseTriesStalled() throws Exception {
    String gid = "pa-stalled";
    CompletableFuture<ApiClient.Answer> oneShot =
        CompletableFuture.supplyAsync(() ->
            api.post(
                "/v1/transactions",
                "{\"mode\":\"tcc\",\"gid\":\""
                    + gid
                    + "\",\"presumedAbort\":true,\"submit\":true,\"timeoutMs\":60000,"
                    + "\"branches\":["
                    + branch("pay", "pay")
                    + ","
                    + branch("stock", "stock")
                    + "]}"));
    assertThat(stockTryArrived.await(30, TimeUnit.SECONDS)).isTrue();
    assertThat(api.get("/v1/transactions/" + gid).status())
        .as("nothing is in the log while the tries run")
        .isEqualTo(404);

    // The pay service holds its try and asks, as its resolver does once the hold threshold passed.
    List<String> settled = new ArrayList<>();
    HeldBranchResolver resolver =
        HeldBranchResolver.builder(
                (cutoff, limit) -> List.of(new HeldBranch(gid, "pay", "{\"n\":1}", Instant.EPOCH)),
                OutcomeSource.coordinator(
                    URI.create("http://127.0.0.1:" + server.port()),
                    Credential.bearer(READER),
                    Duration.ofSeconds(5)),
                new BranchSettler() {
                  @Override
                  public BarrierResult confirm(HeldBranch b) {
                    settled.add("confirm " + b.branchId());
                    return BarrierResult.APPLIED;
                  }

                  @Override
                  public BarrierResult cancel(HeldBranch b) {
                    settled.add("cancel " + b.branchId());
                    return BarrierResult.APPLIED;
                  }
                })
            .holdThreshold(Duration.ZERO)
            .build();
    HeldBranchResolver.Round round = resolver.resolveOnce();
    assertThat(round.cancelled()).isEqualTo(1);
    assertThat(settled).containsExactly("cancel pay");

    releaseStockTry.countDown();
    ApiClient.Answer answer = oneShot.get(30, TimeUnit.SECONDS);

    // The decision's insert found the gid taken by the rollback the question recorded.
    assertThat(answer.status()).as(answer.text()).isEqualTo(200);
    assertThat(answer.field("status")).isEqualTo("rolled_back");
    assertThat(answer.field("reason")).isEqualTo(Coordinator.PRESUMED_ABORT);
    assertThat(calls).contains("/pay/cancel", "/stock/cancel");
    assertThat(calls).doesNotContain("/pay/confirm", "/stock/confirm");
    assertThat(api.get("/v1/transactions/" + gid).field("status")).isEqualTo("rolled_back");
  }
}
