package dev.cohort.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cohort.store.jdbc.JdbcTransactionStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server's edge against clients that misbehave at the connection level: more connections than
 * the per-address cap, a connection that sends nothing, headers sent byte by byte, and a body that
 * stops half way.
 */
class HttpEdgeTest {
  private static final String TOKEN = "edge-token-0123456789abcdef";

  private static final InetAddress LOCALHOST = localhost();

  /** How long the test waits for the server to act before calling it a failure. */
  private static final int PATIENCE_MS = 30_000;

  @TempDir Path dir;
  CohortServer server;
  private final List<Socket> sockets = new ArrayList<>();

  @AfterEach
  void stop() throws IOException {
    for (Socket s : sockets) {
      s.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private CohortServer start(CohortServer.Builder builder) {
    server = builder.port(0).token(TOKEN).build().start();
    return server;
  }

  private Socket connect() throws IOException {
    Socket s = new Socket(LOCALHOST, server.port());
    s.setSoTimeout(PATIENCE_MS);
    sockets.add(s);
    return s;
  }

  /** One keep-alive GET /health on {@code s}: the status line of the answer. */
  private static String health(Socket s) throws IOException {
    OutputStream out = s.getOutputStream();
    out.write(
        "GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    out.flush();
    return readAnswer(s.getInputStream());
  }

  /** Reads one answer with a Content-Length body; returns head and body as text. */
  private static String readAnswer(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      head.write(b);
      matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    String text = head.toString(StandardCharsets.US_ASCII);
    int length = 0;
    for (String line : text.split("\r\n", -1)) {
      if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
        length = Integer.parseInt(line.substring("content-length:".length()).trim());
      }
    }
    return text + new String(in.readNBytes(length), StandardCharsets.UTF_8);
  }

  @Test
  void aClientOverTheConnectionCapIsAnswered429AndClosedWhileItsOtherConnectionsWork()
      throws IOException {
    start(
        CohortServer.builder(JdbcTransactionStore.sqlite(dir.resolve("log.db")))
            .maxConnectionsPerClient(3));
    List<Socket> kept = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Socket s = connect();
      assertThat(health(s)).startsWith("HTTP/1.1 200");
      kept.add(s);
    }
    Socket fourth = connect();
    String refused = health(fourth);
    assertThat(refused)
        .startsWith("HTTP/1.1 429")
        .contains("\"error\":\"too_many_connections\"")
        .contains("cap");
    assertThat(endsWithin(fourth)).isTrue();
    // The three kept connections still serve requests.
    for (Socket s : kept) {
      assertThat(health(s)).startsWith("HTTP/1.1 200");
    }
    // Closing one frees its place for a new connection.
    kept.getFirst().close();
    await()
        .atMost(Duration.ofMillis(PATIENCE_MS))
        .until(() -> {
          try (Socket again = new Socket(LOCALHOST, server.port())) {
            again.setSoTimeout(PATIENCE_MS);
            return health(again).startsWith("HTTP/1.1 200");
          }
        });
  }

  @Test
  void aBodyThatStallsHalfWayHasItsConnectionClosedAfterTheReadTimeout() throws IOException {
    start(
        CohortServer.builder(JdbcTransactionStore.sqlite(dir.resolve("log.db")))
            .readTimeout(Duration.ofMillis(300)));
    Socket stalled = connect();
    OutputStream out = stalled.getOutputStream();
    String body = "{\"mode\":\"tcc\",\"gid\":\"half-way\"}";
    out.write(
        ("POST /v1/transactions HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                + TOKEN
                + "\r\nContent-Type: application/json\r\nContent-Length: "
                + (body.length() + 100)
                + "\r\n\r\n"
                + body)
            .getBytes(StandardCharsets.US_ASCII));
    out.flush();
    // The client sends nothing more; the server must end the connection (not answer, not wait).
    assertThat(endsWithin(stalled)).isTrue();
    // Nothing was created from half a body, and the server goes on serving.
    ApiClient api = new ApiClient(server.port(), TOKEN);
    assertThat(api.get("/v1/transactions/half-way").status()).isEqualTo(404);
    assertThat(api.post("/v1/transactions", "{\"mode\":\"tcc\",\"gid\":\"whole\"}").status())
        .isEqualTo(201);
  }

  @Test
  void aConnectionThatSendsNothingIsClosedAfterTheIdleTimeoutWithOrWithoutAConnectionCap()
      throws IOException {
    start(
        CohortServer.builder(JdbcTransactionStore.sqlite(dir.resolve("log.db")))
            .idleTimeout(Duration.ofMillis(300))
            .maxConnectionsPerClient(0));
    Socket silent = connect();
    assertThat(endsWithin(silent)).isTrue();
    // A request line that stops half way is no better.
    Socket halfLine = connect();
    halfLine.getOutputStream().write("GET /hea".getBytes(StandardCharsets.US_ASCII));
    halfLine.getOutputStream().flush();
    assertThat(endsWithin(halfLine)).isTrue();
    assertThat(health(connect())).startsWith("HTTP/1.1 200");
    server.close();
    server = null;

    start(
        CohortServer.builder(JdbcTransactionStore.sqlite(dir.resolve("log2.db")))
            .idleTimeout(Duration.ofMillis(300))
            .maxConnectionsPerClient(2));
    assertThat(endsWithin(connect())).isTrue();
    assertThat(endsWithin(connect())).isTrue();
    // Both closed connections gave their places back.
    Socket first = connect();
    Socket second = connect();
    assertThat(health(first)).startsWith("HTTP/1.1 200");
    assertThat(health(second)).startsWith("HTTP/1.1 200");
  }

  @Test
  void headersSentByteByByteAreCutAfterTheHeaderTimeoutAndNothingIsCreated() throws Exception {
    start(
        CohortServer.builder(JdbcTransactionStore.sqlite(dir.resolve("log.db")))
            .headerTimeout(Duration.ofMillis(300)));
    Socket slow = connect();
    OutputStream out = slow.getOutputStream();
    String body = "{\"mode\":\"tcc\",\"gid\":\"dribbled\"}";
    out.write("POST /v1/transactions HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));
    out.flush();
    // Every byte keeps the connection busy, so no idle timeout applies: only the header timeout.
    byte[] rest =
        ("Host: localhost\r\nX-Padding: "
                + "x".repeat(2_000)
                + "\r\nAuthorization: Bearer "
                + TOKEN
                + "\r\nContent-Type: application/json\r\nContent-Length: "
                + body.length()
                + "\r\n\r\n"
                + body)
            .getBytes(StandardCharsets.US_ASCII);
    Thread dribbler =
        Thread.ofVirtual()
            .start(() -> {
              try {
                for (byte b : rest) {
                  out.write(b);
                  out.flush();
                  Thread.sleep(20);
                }
              } catch (IOException | InterruptedException e) {
                // the server closed the connection: what the test expects
              }
            });
    assertThat(endsWithin(slow)).isTrue();
    dribbler.interrupt();
    dribbler.join();
    ApiClient api = new ApiClient(server.port(), TOKEN);
    assertThat(api.get("/v1/transactions/dribbled").status()).isEqualTo(404);
    assertThat(api.post("/v1/transactions", "{\"mode\":\"tcc\",\"gid\":\"whole\"}").status())
        .isEqualTo(201);
  }

  @Test
  void aSlowButSteadyBodyIsNotCutAndFinishedReadsAreNeverInterruptedLater() throws Exception {
    start(
        CohortServer.builder(JdbcTransactionStore.sqlite(dir.resolve("log.db")))
            .readTimeout(Duration.ofMillis(300))
            .headerTimeout(Duration.ofMillis(300)));
    ApiClient api = new ApiClient(server.port(), TOKEN);
    // Many whole requests in a row: a sweep that fired on a finished read would break one.
    for (int i = 0; i < 200; i++) {
      assertThat(
              api.post("/v1/transactions", "{\"mode\":\"tcc\",\"gid\":\"steady-" + i + "\"}")
                  .status())
          .isEqualTo(201);
    }
  }

  private static InetAddress localhost() {
    try {
      return InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Whether the server ends the connection (EOF or reset) before the test's patience runs out. */
  private static boolean endsWithin(Socket s) throws IOException {
    try {
      InputStream in = s.getInputStream();
      while (in.read() >= 0) {
        // drain whatever the server still sends
      }
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (SocketException e) {
      return true; // reset by the server
    }
  }
}
