package dev.cohort.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cohort.protocol.TrustedCertificates;
import dev.cohort.store.jdbc.JdbcTransactionStore;
import dev.cohort.testsupport.TestCertificates;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS clients that connect and stall in their handshake — silent, or stopping half way through
 * their ClientHello — are closed after the handshake timeout (or, over the per-client cap, the idle
 * timeout), and honest TLS clients are served meanwhile and afterwards.
 */
class TlsHandshakeTest {
  private static final String TOKEN = "tls-token-0123456789abcdef";
  private static final InetAddress LOCALHOST = InetAddress.getLoopbackAddress();

  @TempDir Path dir;

  /** How long a test waits for the server to act before calling it a failure. */
  private static final Duration PATIENCE = Duration.ofSeconds(30);

  private Path caPem;
  private Path certPem;
  private Path keyPem;
  private CohortServer server;
  private final List<Socket> sockets = new ArrayList<>();

  @BeforeEach
  void certificates() {
    TestCertificates ca = TestCertificates.authority("Cohort test CA");
    certPem = dir.resolve("server.pem");
    keyPem = dir.resolve("server.key");
    caPem = ca.writeAuthority(dir.resolve("ca.pem"));
    ca.issue("cohort-server", "127.0.0.1", "localhost").write(certPem, keyPem);
  }

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
    server =
        builder
            .port(0)
            .token(TOKEN)
            .tls(ServerTls.pem(certPem, keyPem))
            .tlsReloadCheck(Duration.ZERO)
            .build()
            .start();
    return server;
  }

  @Test
  void stalledHandshakesOverTheConnectionCapAreClosedAndHonestClientsAreServed() throws Exception {
    // The handshake deadline closes the stalled clients; the idle timeout is long so that the
    // honest ones below stay open (and counted against the cap) however slowly a loaded machine
    // lets them finish: with a short one the first could be closed for idling before the sixth
    // arrives, which then fits under the cap.
    start(
        CohortServer.builder(JdbcTransactionStore.sqlite(dir.resolve("log.db")))
            .idleTimeout(Duration.ofMinutes(10))
            .tlsHandshakeTimeout(Duration.ofSeconds(2))
            .maxConnectionsPerClient(5));
    // Twenty clients from one address that never finish their handshake: five within the cap,
    // fifteen over it, half silent, half stopping in the middle of their ClientHello.
    List<Socket> stalled = stall(20);
    for (Socket s : stalled) {
      await().atMost(PATIENCE).until(() -> closedByServer(s));
    }
    // Their places are free again: honest TLS clients from the same address are served up to the
    // cap, and the one over it gets its 429 over TLS.
    for (int i = 0; i < 5; i++) {
      SSLSocket honest = https();
      sockets.add(honest);
      assertThat(health(honest)).startsWith("HTTP/1.1 200");
    }
    try (SSLSocket over = https()) {
      assertThat(health(over)).startsWith("HTTP/1.1 429");
    }
  }

  @Test
  void aHandshakeThatDoesNotFinishInTimeIsClosedLongBeforeTheIdleTimeout() throws Exception {
    start(
        CohortServer.builder(JdbcTransactionStore.sqlite(dir.resolve("log.db")))
            .idleTimeout(Duration.ofMinutes(10))
            .tlsHandshakeTimeout(Duration.ofSeconds(1)));
    // An honest keep-alive connection that finished its handshake before the stalled ones came
    // (tried again while the JVM is cold: a first handshake on a loaded machine may take longer).
    try (SSLSocket honest =
        await().atMost(PATIENCE).ignoreExceptions().until(this::https, s -> true)) {
      assertThat(health(honest)).startsWith("HTTP/1.1 200");
      List<Socket> stalled = stall(10);
      for (Socket s : stalled) {
        await().atMost(PATIENCE).until(() -> closedByServer(s));
      }
      // The stalled ones were opened after it and are gone, so its own handshake deadline passed
      // too: a finished handshake is never cut, the connection is still served.
      assertThat(health(honest)).startsWith("HTTP/1.1 200");
    }
    try (SSLSocket again = https()) {
      assertThat(health(again)).startsWith("HTTP/1.1 200");
    }
  }

  /** {@code count} raw connections, half silent, half sending half of a real ClientHello. */
  private List<Socket> stall(int count) throws Exception {
    byte[] hello = clientHello();
    List<Socket> stalled = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Socket s = connect();
      if (i % 2 == 1) {
        s.getOutputStream().write(Arrays.copyOf(hello, hello.length / 2));
        s.getOutputStream().flush();
      }
      stalled.add(s);
    }
    return stalled;
  }

  private SSLSocket https() throws IOException {
    SSLSocket s =
        (SSLSocket)
            TrustedCertificates.sslContext(caPem)
                .getSocketFactory()
                .createSocket(LOCALHOST, server.port());
    try {
      s.setSoTimeout((int) PATIENCE.toMillis());
      s.startHandshake();
      return s;
    } catch (IOException e) {
      s.close();
      throw e;
    }
  }

  /** One keep-alive GET /health on {@code s}: the status line and headers of the answer. */
  private static String health(Socket s) throws IOException {
    OutputStream out = s.getOutputStream();
    out.write(
        "GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    out.flush();
    InputStream in = s.getInputStream();
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      head.append((char) b);
    }
    String text = head.toString();
    int length = 0;
    for (String line : text.split("\r\n", -1)) {
      if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
        length = Integer.parseInt(line.substring("content-length:".length()).trim());
      }
    }
    var unused = in.readNBytes(length);
    return text;
  }

  private Socket connect() throws IOException {
    Socket s = new Socket(LOCALHOST, server.port());
    sockets.add(s);
    return s;
  }

  /** The first flight of a real TLS client: one record holding its ClientHello. */
  private static byte[] clientHello() throws Exception {
    SSLEngine engine = SSLContext.getDefault().createSSLEngine("localhost", 443);
    engine.setUseClientMode(true);
    engine.beginHandshake();
    ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
    SSLEngineResult result = engine.wrap(ByteBuffer.allocate(0), out);
    assertThat(result.bytesProduced()).isPositive();
    out.flip();
    byte[] bytes = new byte[out.remaining()];
    out.get(bytes);
    return bytes;
  }

  /** Whether the server ended the connection (EOF or reset); false when it is still open. */
  private static boolean closedByServer(Socket s) throws IOException {
    s.setSoTimeout(50);
    try {
      InputStream in = s.getInputStream();
      while (in.read() >= 0) {
        // drain whatever the server still sends (an alert)
      }
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (SocketException e) {
      return true;
    }
  }
}
