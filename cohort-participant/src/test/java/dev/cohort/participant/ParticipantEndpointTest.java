package dev.cohort.participant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cohort.protocol.CallSignature;
import dev.cohort.testsupport.TestHttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

/** The endpoint's answers for what is not a well-formed, successful call. */
class ParticipantEndpointTest {
  @TempDir Path dir;
  private Stock stock;

  @BeforeEach
  void setUp() throws Exception {
    SQLiteDataSource ds = new SQLiteDataSource();
    ds.setUrl("jdbc:sqlite:" + dir.resolve("stock.db").toAbsolutePath());
    stock = new Stock(ds);
    stock.put("A-1", 10);
  }

  private static Map<String, String> headers(String gid, String branch, String op) {
    Map<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    if (gid != null) {
      h.put(CallSignature.GID_HEADER, gid);
    }
    if (branch != null) {
      h.put(CallSignature.BRANCH_HEADER, branch);
    }
    if (op != null) {
      h.put(CallSignature.OP_HEADER, op);
    }
    return h;
  }

  private static byte[] order(int qty) {
    return Stock.payload("A-1", qty).getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void shouldAnswer400WhenAnUnsignedCallLacksItsHeaders() {
    ParticipantEndpoint endpoint = stock.tcc(null).build();
    ParticipantEndpoint.Response r = endpoint.handle(headers("g", "b", null)::get, order(1));
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.body()).contains("\"error\":\"bad_request\"").contains("Cohort-Op");
  }

  @Test
  void shouldAnswer400ForAnUnknownOpOrABadGid() {
    ParticipantEndpoint endpoint = stock.saga(null).build();
    assertThat(endpoint.handle(headers("g", "b", "confirm")::get, order(1)).body())
        .contains("this saga endpoint serves action, compensate");
    assertThat(endpoint.handle(headers("g h", "b", "action")::get, order(1)).status())
        .isEqualTo(400);
  }

  @Test
  void shouldAnswer401ForAnUnsignedCallToASignedEndpoint() {
    ParticipantEndpoint endpoint = stock.tcc(Keys.signature()).build();
    ParticipantEndpoint.Response r = endpoint.handle(headers("g", "b", "try")::get, order(1));
    assertThat(r.status()).isEqualTo(401);
    assertThat(r.body()).contains("\"error\":\"unsigned\"");
  }

  @Test
  void shouldAnswer200WithWhatTheBarrierDid() throws Exception {
    ParticipantEndpoint endpoint = stock.tcc(null).build();
    assertThat(endpoint.handle(headers("g", "b", "cancel")::get, order(1)).body())
        .isEqualTo("{\"result\":\"empty_rollback\"}");
    assertThat(endpoint.handle(headers("g", "b", "cancel")::get, order(1)).body())
        .isEqualTo("{\"result\":\"duplicate_skipped\"}");
    assertThat(stock.level("A-1")).isEqualTo(new Stock.Level(10, 0));
  }

  @Test
  void shouldAnswer500AndRollBackWhenTheWorkFails() throws Exception {
    List<String> reported = new ArrayList<>();
    ParticipantEndpoint endpoint =
        stock
            .tcc(null)
            .onTry(r -> {
              Stock.reserve(r);
              throw new IllegalStateException("disk full");
            })
            .onError(
                (gid, branch, op, e) -> reported.add(gid + " " + op.code() + " " + e.getMessage()))
            .build();
    ParticipantEndpoint.Response r = endpoint.handle(headers("g", "b", "try")::get, order(1));
    assertThat(r.status()).isEqualTo(500);
    assertThat(r.body())
        .contains("\"error\":\"internal\"")
        .contains("try failed")
        .contains("disk full");
    assertThat(stock.level("A-1")).isEqualTo(new Stock.Level(10, 0));
    assertThat(stock.barrierRows()).isZero();
    assertThat(reported).containsExactly("g try disk full");
  }

  @Test
  void shouldServeOnlyPostOverTheJdkServer() throws Exception {
    try (TestHttpServer server =
            new TestHttpServer().route("/p", stock.tcc(null).build().jdkHandler());
        HttpClient client = HttpClient.newHttpClient()) {
      URI url = server.url("/p");
      HttpResponse<String> get =
          client.send(
              HttpRequest.newBuilder(url).GET().build(), HttpResponse.BodyHandlers.ofString());
      assertThat(get.statusCode()).isEqualTo(405);
      assertThat(get.headers().firstValue("Allow")).contains("POST");
      assertThat(get.headers().firstValue("Content-Type"))
          .contains(ParticipantEndpoint.CONTENT_TYPE);
    }
  }

  @Test
  void shouldRequireEveryOperationsWork() {
    Barrier barrier = stock.barrier();
    assertThatThrownBy(() -> ParticipantEndpoint.unsignedTcc(barrier).onTry(r -> {}).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no work for 'confirm'");
    assertThatThrownBy(() -> ParticipantEndpoint.saga(barrier, null))
        .hasMessageContaining("ParticipantEndpoint.unsignedSaga(barrier)");
  }
}
