package dev.cohort.server;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cohort.store.jdbc.JdbcTransactionStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Requests no HTTP client would send, written to the socket byte by byte. */
class RawHttpTest {
  @TempDir Path dir;
  CohortServer server;

  @BeforeEach
  void start() {
    server =
        CohortServer.builder(JdbcTransactionStore.sqlite(dir.resolve("log.db")))
            .port(0)
            .idleTimeout(Duration.ofSeconds(1))
            .build()
            .start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  String exchange(String request) throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
      socket.setSoTimeout(5000);
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      socket.shutdownOutput();
      InputStream in = socket.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void transportLevelErrorsHaveTheJsonErrorBody() throws IOException {
    for (String request :
        new String[] {
          "GET /v1/transactions/%zz HTTP/1.1\r\nHost: x\r\n\r\n",
          "GET /v1/tr ansactions HTTP/1.1\r\nHost: x\r\n\r\n",
          "POST /v1/transactions HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n",
          "GET /health HTTP/1.1\r\nHost: x\r\nbroken header line\r\n\r\n",
        }) {
      String answer = exchange(request);
      assertThat(answer).as(request).startsWith("HTTP/1.1 4");
      assertThat(answer).as(request).contains("\"error\":").contains("\"message\":");
    }
  }

  @Test
  void http10IsRefusedWithA4xxThatNamesTheVersionToUse() throws IOException {
    String answer = exchange("GET /health HTTP/1.0\r\n\r\n");

    assertThat(answer).startsWith("HTTP/1.1 426");
    assertThat(answer).containsIgnoringCase("Upgrade: HTTP/1.1");
    assertThat(answer).contains("\"error\":\"upgrade_required\"").contains("HTTP/1.1");
  }

  @Test
  void aRequestLineOrHeadersLongerThanTheServerReadsGetA4xxAsTheErrorsTableSays()
      throws IOException {
    String longLine =
        exchange("GET /v1/transactions/" + "a".repeat(10_000) + " HTTP/1.1\r\nHost: x\r\n\r\n");
    assertThat(longLine).startsWith("HTTP/1.1 414").contains("\"error\":\"uri_too_long\"");
    String bigHeaders =
        exchange("GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(40_000) + "\r\n\r\n");
    assertThat(bigHeaders)
        .as("Helidon 4.5 does not say why it refused them, so: 400, not 431")
        .startsWith("HTTP/1.1 400")
        .contains("\"error\":\"bad_request\"")
        .contains("\"message\":");
  }

  @Test
  void aBodyCutOffBeforeItsContentLengthIsABadRequest() throws IOException {
    String answer =
        exchange(
            "POST /v1/transactions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Authorization: Bearer "
                + server.token()
                + "\r\nContent-Length: 500\r\n\r\n{\"mode\":");

    assertThat(answer).startsWith("HTTP/1.1 400");
    assertThat(answer).contains("Content-Length");
  }

  @Test
  void anIdleKeepAliveConnectionIsClosedAfterTheIdleTimeout() throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      out.write("GET /health HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(UTF_8));
      out.flush();
      String answer = new String(socket.getInputStream().readAllBytes(), UTF_8);
      // The answer came, then the idle connection was closed (readAllBytes saw its end).
      assertThat(answer).startsWith("HTTP/1.1 200");
    }
  }
}
