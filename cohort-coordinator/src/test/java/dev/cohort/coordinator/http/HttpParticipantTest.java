package dev.cohort.coordinator.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import dev.cohort.api.BranchContext;
import dev.cohort.api.BranchId;
import dev.cohort.api.Gid;
import dev.cohort.api.ParticipantRefusedException;
import dev.cohort.participant.Keys;
import dev.cohort.protocol.HttpTarget;
import dev.cohort.testsupport.TestHttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The coordinator side against participants that misbehave on the wire (no database needed), with
 * the default poster; cohort-server runs it again with its Helidon poster ({@link #poster()}).
 */
public class HttpParticipantTest {
  private final CountDownLatch release = new CountDownLatch(1);
  private final List<String> calls = new CopyOnWriteArrayList<>();
  private TestHttpServer server;
  private HttpParticipant http;

  @BeforeEach
  void setUp() throws IOException {
    server =
        new TestHttpServer()
            .route("/boom", e -> answer(e, 500, "{\"error\":\"internal\",\"message\":\"db down\"}"))
            .route("/busy", e -> answer(e, 425, "working"))
            .route("/no", e -> answer(e, 409, "x".repeat(5000)))
            .route("/ok", e -> answer(e, 204, ""))
            .route(
                "/hang",
                e -> {
                  try {
                    release.await(10, TimeUnit.SECONDS);
                  } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                  }
                  answer(e, 200, "late");
                });
    http = withCallTimeout(Duration.ofSeconds(5));
  }

  /** The poster under test; null for the builder's default (the JDK client). */
  protected HttpPoster poster() {
    return null;
  }

  @AfterEach
  void tearDown() {
    release.countDown();
    http.close();
    server.close();
  }

  private static void answer(HttpExchange e, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    e.getRequestBody().readAllBytes();
    e.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    e.getResponseBody().write(bytes);
    e.close();
  }

  private BranchContext tcc(String path) {
    URI url = server.url(path);
    return new BranchContext(
        Gid.of("g-1"), BranchId.of("b1"), HttpTarget.tcc(url, url, url, "{}").encode(), 1);
  }

  @Test
  void shouldTreatAny2xxAsDone() throws Exception {
    http.confirm(tcc("/ok"));
    assertThat(calls).containsExactly("confirm /ok 204");
  }

  @Test
  void shouldReportA500WithOpUrlStatusAndBodySnippet() {
    assertThatThrownBy(() -> http.confirm(tcc("/boom")))
        .isInstanceOfSatisfying(
            ParticipantCallException.class, e -> assertThat(e.status()).isEqualTo(500))
        .hasMessageContaining("confirm " + server.url("/boom"))
        .hasMessageContaining("gid=g-1, branch=b1")
        .hasMessageContaining("answered 500")
        .hasMessageContaining("db down");
  }

  @Test
  void shouldTrimALongRefusalText() {
    assertThatThrownBy(() -> http.tryReserve(tcc("/no")))
        .isInstanceOf(ParticipantRefusedException.class)
        .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(500).endsWith("..."));
  }

  private HttpParticipant withCallTimeout(Duration timeout) {
    HttpParticipant.Builder b =
        HttpParticipant.builder()
            .signer(Keys.signature())
            .callTimeout(timeout)
            .observer(
                (op, url, status, took) -> calls.add(op + " " + url.getPath() + " " + status));
    HttpPoster poster = poster();
    return (poster == null ? b : b.poster(poster)).build();
  }

  @Test
  void shouldGiveUpOnAHungParticipantAfterTheCallTimeout() {
    try (HttpParticipant impatient = withCallTimeout(Duration.ofMillis(300))) {
      assertThatThrownBy(() -> impatient.cancel(tcc("/hang")))
          .isInstanceOfSatisfying(
              ParticipantCallException.class, e -> assertThat(e.status()).isEqualTo(-1))
          .hasMessageContaining("cancel " + server.url("/hang"))
          .hasMessageContaining("no answer within the call timeout of 300 ms");
    }
    assertThat(calls).containsExactly("cancel /hang -1");
  }

  @Test
  void shouldStopPollingATryStillInProgressBeforeTheCallTimeout() {
    try (HttpParticipant polling = withCallTimeout(Duration.ofMillis(1500))) {
      assertThatThrownBy(() -> polling.tryReserve(tcc("/busy")))
          .isInstanceOfSatisfying(
              ParticipantCallException.class, e -> assertThat(e.inProgress()).isTrue())
          .hasMessageContaining("still in progress (425) after")
          .hasMessageContaining("the call timeout is 1500 ms")
          .hasMessageContaining("working");
    }
    // Pauses of 50, 100, 200, 400 ms fit; an 800 ms one would leave no time for the answer.
    // (Fewer polls when a loaded machine makes the calls themselves slow.)
    assertThat(calls).hasSizeBetween(3, 5).allMatch(c -> c.equals("try /busy 425"));
  }

  @Test
  void shouldReportARefusedConnection() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    URI url = URI.create("http://127.0.0.1:" + port + "/gone");
    BranchContext c =
        new BranchContext(
            Gid.of("g-1"), BranchId.of("b1"), HttpTarget.saga(url, url, "{}").encode(), 1);
    assertThatThrownBy(() -> http.compensate(c))
        .isInstanceOfSatisfying(
            ParticipantCallException.class, e -> assertThat(e.status()).isEqualTo(-1))
        .hasMessageContaining("compensate http://127.0.0.1:" + port + "/gone")
        .hasMessageContaining("could not connect");
  }

  @Test
  void shouldRefuseAPayloadOfTheWrongMode() {
    URI url = server.url("/ok");
    BranchContext saga =
        new BranchContext(
            Gid.of("g-1"), BranchId.of("b1"), HttpTarget.saga(url, url, "{}").encode(), 1);
    assertThatThrownBy(() -> http.tryReserve(saga))
        .isInstanceOf(ParticipantRefusedException.class)
        .hasMessageContaining("HTTP saga target without a 'try' URL (it has [action, compensate])");
    assertThat(calls).isEmpty();
  }

  @Test
  void shouldNotQuoteQueryStringsInMessages() {
    assertThatThrownBy(() -> http.confirm(tcc("/boom?token=secret")))
        .hasMessageNotContaining("secret");
  }

  @Test
  void shouldRequireAChoiceAboutSigning() {
    assertThatThrownBy(() -> HttpParticipant.builder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("signer(callSignature), or unsigned()");
    assertThatThrownBy(() -> HttpParticipant.builder().callTimeout(Duration.ZERO))
        .hasMessageContaining("callTimeout must be a positive duration but was PT0S");
  }
}
