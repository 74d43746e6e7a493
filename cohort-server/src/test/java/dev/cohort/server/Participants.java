package dev.cohort.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.cohort.protocol.CallSignature;
import dev.cohort.protocol.CallSignatureException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;

/**
 * Participant services written from docs/protocol.md alone, without the SDK: a plain JDK HTTP
 * server whose paths answer 200 (done), 409 (refused) or 500 for the first N calls (transient
 * failure). Every call is recorded as {@code "<path> <Cohort-Gid> <Cohort-Branch> <Cohort-Op>
 * <body>"}.
 */
final class Participants implements AutoCloseable {
  private final HttpServer server;
  private final List<String> calls = new CopyOnWriteArrayList<>();
  private final Map<String, AtomicInteger> failuresLeft = new ConcurrentHashMap<>();
  private final Map<String, Integer> fixed = new ConcurrentHashMap<>();

  private final CallSignature verifier;
  private final String scheme;

  Participants() throws IOException {
    this(null);
  }

  /** Participants that check every call's signature with {@code verifier} (403 when it fails). */
  Participants(CallSignature verifier) throws IOException {
    this(verifier, null);
  }

  /** Participants served over {@code https} with {@code tls}'s certificate. */
  static Participants https(SSLContext tls) throws IOException {
    return new Participants(null, tls);
  }

  private Participants(CallSignature verifier, SSLContext tls) throws IOException {
    this.verifier = verifier;
    this.scheme = tls == null ? "http" : "https";
    InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    if (tls == null) {
      server = HttpServer.create(loopback, 0);
    } else {
      HttpsServer https = HttpsServer.create(loopback, 0);
      https.setHttpsConfigurator(new HttpsConfigurator(tls));
      server = https;
    }
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/", this::handle);
    server.start();
  }

  /** The URL of {@code path} on this server, e.g. {@code url("/stock/try")}. */
  String url(String path) {
    return scheme + "://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  /** {@code path} answers {@code status} from now on. */
  Participants answer(String path, int status) {
    fixed.put(path, status);
    return this;
  }

  /** {@code path} answers 500 to its first {@code times} calls, then 200. */
  Participants failFirst(String path, int times) {
    failuresLeft.put(path, new AtomicInteger(times));
    return this;
  }

  List<String> calls() {
    return List.copyOf(calls);
  }

  /** The recorded calls of {@code path}, for asserting what ran. */
  List<String> callsTo(String path) {
    return calls.stream().filter(c -> c.startsWith(path + " ")).toList();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      byte[] bytes = exchange.getRequestBody().readAllBytes();
      String body = new String(bytes, StandardCharsets.UTF_8);
      var headers = exchange.getRequestHeaders();
      int refusal = 0;
      if (verifier != null) {
        try {
          verifier.verify(headers::getFirst, bytes);
        } catch (CallSignatureException e) {
          refusal = e.reason().httpStatus();
        }
      }
      calls.add(
          path
              + " "
              + headers.getFirst("Cohort-Gid")
              + " "
              + headers.getFirst("Cohort-Branch")
              + " "
              + headers.getFirst("Cohort-Op")
              + " "
              + body);
      int status = refusal != 0 ? refusal : fixed.getOrDefault(path, 200);
      AtomicInteger left = failuresLeft.get(path);
      if (left != null && left.getAndDecrement() > 0) {
        status = 500;
      }
      byte[] reply = ("{\"status\":" + status + "}").getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(status, reply.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(reply);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
