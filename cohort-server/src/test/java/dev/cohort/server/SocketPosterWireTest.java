package dev.cohort.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cohort.coordinator.http.HttpPoster;
import dev.cohort.server.internal.HelidonPoster;
import dev.cohort.server.internal.SocketPoster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link SocketPoster} against a participant written on a raw server socket: the answers' framings
 * (length, chunked, until close), a pooled connection the participant closed meanwhile, and
 * keep-alive reuse.
 */
class SocketPosterWireTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private ServerSocket server;
  private final AtomicInteger connections = new AtomicInteger();
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private final HttpPoster poster =
      new SocketPoster(Duration.ofSeconds(5), new HelidonPoster(Duration.ofSeconds(5)));

  @AfterEach
  void stop() throws IOException {
    poster.close();
    if (server != null) {
      server.close();
    }
  }

  /**
   * Serves each connection on its own thread: {@code answer} gives the raw answer to the n-th
   * request overall; an answer ending in "CLOSE" has the connection closed after it (the marker is
   * not sent).
   */
  private URI serve(IntFunction<String> answer) throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    AtomicInteger n = new AtomicInteger();
    Thread.ofVirtual()
        .start(() -> {
          while (!server.isClosed()) {
            Socket s;
            try {
              s = server.accept();
            } catch (IOException e) {
              return;
            }
            connections.incrementAndGet();
            Thread.ofVirtual().start(() -> handle(s, answer, n));
          }
        });
    return URI.create("http://127.0.0.1:" + server.getLocalPort() + "/p/try");
  }

  private void handle(Socket s, IntFunction<String> answer, AtomicInteger n) {
    try (s) {
      InputStream in = s.getInputStream();
      OutputStream out = s.getOutputStream();
      while (true) {
        String head = readHead(in);
        if (head == null) {
          return;
        }
        int length = 0;
        for (String line : head.split("\r\n", -1)) {
          if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
            length = Integer.parseInt(line.substring("content-length:".length()).trim());
          }
        }
        String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
        requests.add(head.lines().findFirst().orElse("") + " " + body);
        String a = answer.apply(n.getAndIncrement());
        boolean close = a.endsWith("CLOSE");
        out.write(
            (close ? a.substring(0, a.length() - "CLOSE".length()) : a)
                .getBytes(StandardCharsets.UTF_8));
        out.flush();
        if (close) {
          return;
        }
      }
    } catch (IOException e) {
      // the test ended
    }
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        return null;
      }
      head.write(b);
      matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    return head.toString(StandardCharsets.US_ASCII);
  }

  private HttpPoster.Answer post(URI url, String body) throws Exception {
    return poster.post(
        url, Map.of("Cohort-Op", "try"), body.getBytes(StandardCharsets.UTF_8), TIMEOUT, 1024);
  }

  @Test
  void keepsTheConnectionAliveAcrossCalls() throws Exception {
    URI url = serve(i -> "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
    for (int i = 0; i < 5; i++) {
      assertThat(post(url, "{\"n\":" + i + "}")).isEqualTo(new HttpPoster.Answer(200, "ok"));
    }
    assertThat(connections.get()).isEqualTo(1);
    assertThat(requests).hasSize(5).allMatch(r -> r.startsWith("POST /p/try HTTP/1.1 {\"n\":"));
  }

  @Test
  void aPooledConnectionThatTheParticipantClosedIsReplacedAndTheCallSentAgain() throws Exception {
    // The participant answers with keep-alive but closes the connection right after (as one whose
    // idle timeout fired would): the next call finds it dead and goes out on a new connection.
    URI url = serve(i -> "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\ndoneCLOSE");
    assertThat(post(url, "{}")).isEqualTo(new HttpPoster.Answer(200, "done"));
    Thread.sleep(50); // lets the close reach this side, as it would have between two real calls
    assertThat(post(url, "{}")).isEqualTo(new HttpPoster.Answer(200, "done"));
    assertThat(connections.get()).isEqualTo(2);
    assertThat(requests).hasSize(2);
  }

  @Test
  void readsChunkedAnswersAndAnswersThatEndWithTheConnection() throws Exception {
    URI url =
        serve(i ->
            switch (i) {
              case 0 ->
                  String.join(
                      "\r\n",
                      "HTTP/1.1 409 Conflict",
                      "Transfer-Encoding: chunked",
                      "",
                      "5;ext=1",
                      "hello",
                      "6",
                      " world",
                      "0",
                      "Trailer: x",
                      "",
                      "");
              case 1 -> "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n";
              default -> "HTTP/1.0 200 OK\r\n\r\nuntil the endCLOSE";
            });
    assertThat(post(url, "{}")).isEqualTo(new HttpPoster.Answer(409, "hello world"));
    assertThat(post(url, "{}")).isEqualTo(new HttpPoster.Answer(204, ""));
    assertThat(post(url, "{}")).isEqualTo(new HttpPoster.Answer(200, "until the end"));
    assertThat(connections.get()).isEqualTo(1);
  }

  @Test
  void keepsOnlyTheFirstBytesOfALongAnswerAndStillReusesTheConnection() throws Exception {
    String longBody = "x".repeat(5000);
    URI url =
        serve(i ->
            "HTTP/1.1 500 Oops\r\nContent-Length: " + longBody.length() + "\r\n\r\n" + longBody);
    assertThat(post(url, "{}").body()).hasSize(1024);
    assertThat(post(url, "{}").status()).isEqualTo(500);
    assertThat(connections.get()).isEqualTo(1);
  }
}
