package dev.cohort.server.internal;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.concurrency.limits.Limit;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.http1.Http1ConnectionListener;
import io.helidon.webserver.http1.Http1ConnectionSelector;
import io.helidon.webserver.spi.ServerConnection;
import io.helidon.webserver.spi.ServerConnectionSelector;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Caps the connections one client address holds at once, and hands every connection to {@link
 * HeaderReads}. Placed before Helidon's own HTTP/1.1 selector (which it wraps), it counts each
 * connection from its first byte until it closes; a connection over the cap is answered {@code 429
 * too_many_connections} and closed, so one client cannot take every connection the server can
 * serve. Installed with or without a cap: it makes a connection Helidon's before any byte arrived,
 * so Helidon's idle timeout closes one that never sends anything (its own selector would wait for
 * the first bytes, unwatched, for ever). For the same reason it gets a TLS connection before its
 * handshake, and hands it to {@link TlsHandshakes}, which closes it when the handshake stalls.
 */
public final class ConnectionGuard implements ServerConnectionSelector {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectionGuard.class);

  private final ServerConnectionSelector http1;
  private final int maxPerClient;
  private final HeaderReads headerReads;
  private final TlsHandshakes handshakes;
  private final Map<InetAddress, AtomicInteger> open = new ConcurrentHashMap<>();

  /** {@code maxPerClient} 0: no cap. */
  public ConnectionGuard(int maxPerClient, HeaderReads headerReads, TlsHandshakes handshakes) {
    this.http1 =
        Http1ConnectionSelector.builder()
            .config(Http1Config.builder().addReceiveListener(both(handshakes, headerReads)).build())
            .build();
    this.maxPerClient = maxPerClient;
    this.headerReads = headerReads;
    this.handshakes = handshakes;
  }

  /**
   * One listener for both: Helidon 4.5.0 combines two receive listeners into one that forwards
   * nothing (its {@code ListFrameListener} overrides no method), so each would hear no request.
   */
  private static Http1ConnectionListener both(TlsHandshakes handshakes, HeaderReads headerReads) {
    return new Http1ConnectionListener() {
      @Override
      public void prologue(ConnectionContext ctx, HttpPrologue prologue) {
        handshakes.prologue(ctx, prologue);
        headerReads.prologue(ctx, prologue);
      }

      @Override
      public void headers(ConnectionContext ctx, Headers headers) {
        headerReads.headers(ctx, headers);
      }
    };
  }

  /**
   * Takes every connection, as Helidon does with its HTTP/1.1 selector when it is the only one:
   * asking that selector first would turn away an HTTP/1.0 request without an answer, where the
   * HTTP/1.1 connection answers it 426 naming the version to use.
   */
  @Override
  public int bytesToIdentifyConnection() {
    return 0;
  }

  @Override
  public Support supports(BufferData data) {
    return Support.SUPPORTED;
  }

  @Override
  public Set<String> supportedApplicationProtocols() {
    return http1.supportedApplicationProtocols();
  }

  @Override
  public ServerConnection connection(ConnectionContext ctx) {
    InetAddress client = address(ctx.remotePeer().address());
    if (client == null || maxPerClient == 0) {
      return watched(ctx, () -> {});
    }
    AtomicInteger count = open.computeIfAbsent(client, a -> new AtomicInteger());
    int now = count.incrementAndGet();
    if (now > maxPerClient) {
      release(client, count);
      LOG.warn(
          "refused a connection from {}: it holds {} already, the cap per client address",
          client.getHostAddress(),
          maxPerClient);
      // Over TLS the 429 can only be written once the handshake is done: the refusal waits for it
      // like any connection, and is closed when the client stalls there.
      Refusal refusal = new Refusal(ctx, maxPerClient, () -> handshakes.closed(ctx));
      handshakes.opened(ctx, refusal);
      return refusal;
    }
    return watched(ctx, () -> release(client, count));
  }

  /**
   * Helidon's HTTP/1.1 connection, its handshake and headers watched until it ends; then {@code
   * release}.
   */
  private ServerConnection watched(ConnectionContext ctx, Runnable release) {
    Counted connection =
        new Counted(
            http1.connection(ctx),
            () -> {
              headerReads.closed(ctx);
              handshakes.closed(ctx);
              release.run();
            });
    headerReads.opened(ctx, connection);
    handshakes.opened(ctx, connection);
    return connection;
  }

  /** Connections open per client address now (for tests and diagnostics). */
  public int openFrom(InetAddress client) {
    AtomicInteger count = open.get(client);
    return count == null ? 0 : count.get();
  }

  private void release(InetAddress client, AtomicInteger count) {
    if (count.decrementAndGet() <= 0) {
      open.remove(client, count);
    }
  }

  private static InetAddress address(SocketAddress address) {
    return address instanceof InetSocketAddress inet ? inet.getAddress() : null;
  }

  /** A connection that is counted until it ends, however it ends. */
  private static final class Counted implements ServerConnection {
    private final ServerConnection delegate;
    private final Runnable release;
    private final AtomicBoolean released = new AtomicBoolean();

    Counted(ServerConnection delegate, Runnable release) {
      this.delegate = delegate;
      this.release = release;
    }

    @Override
    public void handle(Limit limit) throws InterruptedException {
      try {
        delegate.handle(limit);
      } finally {
        releaseOnce();
      }
    }

    @Override
    public Duration idleTime() {
      return delegate.idleTime();
    }

    @Override
    public void close(boolean interrupt) {
      try {
        delegate.close(interrupt);
      } finally {
        releaseOnce();
      }
    }

    private void releaseOnce() {
      if (released.compareAndSet(false, true)) {
        release.run();
      }
    }
  }

  /**
   * Answers 429 with the protocol's error body and ends the connection. Over TLS the answer is
   * written after the handshake, which the client may never finish: closing interrupts the write.
   */
  private static final class Refusal implements ServerConnection {
    private final ConnectionContext ctx;
    private final int cap;
    private final Runnable ended;
    private final long createdAt = System.nanoTime();
    private volatile Thread thread;
    private volatile boolean closed;

    Refusal(ConnectionContext ctx, int cap, Runnable ended) {
      this.ctx = ctx;
      this.cap = cap;
      this.ended = ended;
    }

    @Override
    public void handle(Limit limit) {
      thread = Thread.currentThread();
      try {
        if (!closed) {
          refuse();
        }
      } catch (RuntimeException e) {
        // The client went away or stalled in its TLS handshake and was closed: nothing to answer.
        LOG.debug("the 429 answer could not be written", e);
      } finally {
        thread = null;
        boolean unused = Thread.interrupted();
        ended.run();
      }
    }

    private void refuse() {
      if (ctx.isSecure()) {
        // Finish the handshake by reading (the client's request) before writing: Helidon 4.5.0's
        // TLS socket drops the data of a write that has to run the handshake first, so a 429
        // written straight away never reached a TLS client, which saw the connection just end.
        ctx.dataReader().ensureAvailable();
      }
      String body =
          "{\"error\":\"too_many_connections\",\"message\":\"this client address holds "
              + cap
              + " connections to the server already, its cap; reuse a kept-alive connection or"
              + " close one first\"}";
      byte[] json = body.getBytes(StandardCharsets.UTF_8);
      String head =
          "HTTP/1.1 429 Too Many Requests\r\n"
              + "Content-Type: application/json\r\n"
              + "Content-Length: "
              + json.length
              + "\r\n"
              + "Connection: close\r\n\r\n";
      BufferData data = BufferData.growing(head.length() + json.length);
      data.write(head.getBytes(StandardCharsets.US_ASCII));
      data.write(json);
      ctx.dataWriter().writeNow(data);
    }

    /** Since it was refused: an answer stuck in a handshake is closed by the idle timeout too. */
    @Override
    public Duration idleTime() {
      return Duration.ofNanos(System.nanoTime() - createdAt);
    }

    @Override
    public void close(boolean interrupt) {
      // handle() returns once the answer is written; the connection handler closes the socket
      // after it. A write blocked in a stalled TLS handshake ends when its thread is interrupted
      // (the socket is closed by the interrupt).
      closed = true;
      Thread writing = thread;
      if (writing != null) {
        writing.interrupt();
      }
    }
  }
}
