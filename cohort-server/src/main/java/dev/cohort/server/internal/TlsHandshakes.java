package dev.cohort.server.internal;

import io.helidon.http.HttpPrologue;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http1.Http1ConnectionListener;
import io.helidon.webserver.spi.ServerConnection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Closes a TLS connection that has not finished its handshake and sent its first request line
 * within a timeout of being accepted, so clients that connect and stall in the handshake (sending
 * nothing, or half a ClientHello, or a byte now and then) hold a connection and a thread for a
 * bounded time — also when they are over the per-client cap, where nothing else watches them.
 *
 * <p>Why here and not in TLS itself. With Helidon's NIO sockets (the default, which the server sets
 * explicitly) the handshake is not done when a connection is accepted but on the connection's own
 * thread, by its first read, after {@link ConnectionGuard} — the only selector — has been given the
 * connection; so the connection is known, and can be closed, before a single handshake byte is
 * read. Helidon offers no hook at the end of the handshake, and asking a connection's TLS session
 * from another thread races with Helidon's own use of it; the first request line, which Helidon
 * reports on the connection's thread, is the first moment the handshake is known to be over. The
 * deadline therefore covers the handshake and the first request line, as the TLS handshake timeouts
 * of other servers do (they bound the handshake with the first request's header read). A client
 * that finished its handshake and holds the connection without a request is closed at the same
 * deadline: it may open a new one when it has something to send. The alternatives: a read timeout
 * on the accepted socket (Helidon's socket options carry none to it, and a client that trickles
 * bytes resets it at each one), or a wrapped {@code SSLContext} (it sees the blocking sockets'
 * handshake, which the NIO path does not use).
 *
 * <p>{@link #sweep()}, run on a schedule, closes the overdue connections (closing interrupts the
 * thread blocked on the socket, which closes the socket). A request line that arrives just as the
 * sweep fired ends the connection before the request is handled, never half way through it.
 */
public final class TlsHandshakes implements Http1ConnectionListener {
  private final Duration timeout;
  private final long timeoutNanos;
  private final LongSupplier nanoTime;
  private final Map<ConnectionContext, Pending> pending = new ConcurrentHashMap<>();

  /** A TLS connection before its first request line, with its deadline from being accepted. */
  private record Pending(ServerConnection connection, SweptDeadline deadline) {}

  public TlsHandshakes(Duration timeout, LongSupplier nanoTime) {
    this.timeout = timeout;
    this.timeoutNanos = timeout.toNanos();
    this.nanoTime = nanoTime;
  }

  /** How often {@link #sweep()} should run: a quarter of the timeout, at least every 5 s. */
  public Duration sweepPeriod() {
    return SweptDeadline.sweepPeriod(timeout);
  }

  /** A connection just accepted, before its handshake; plain ones are not watched. */
  void opened(ConnectionContext ctx, ServerConnection connection) {
    if (ctx.isSecure()) {
      pending.put(ctx, new Pending(connection, new SweptDeadline(nanoTime.getAsLong())));
    }
  }

  void closed(ConnectionContext ctx) {
    // One the sweep fired on stays until the next sweep, for a prologue() racing the close (the
    // close itself ends here at once, before the connection's thread has seen it).
    pending.computeIfPresent(ctx, (c, p) -> p.deadline().fired() ? p : null);
  }

  @Override
  public void prologue(ConnectionContext ctx, HttpPrologue prologue) {
    Pending p = pending.remove(ctx);
    if (p != null && p.deadline().arrive()) {
      // The sweep closed this connection as its first request line arrived: do not handle it.
      boolean unused = Thread.interrupted();
      throw new CloseConnectionException(
          "the TLS handshake and first request line took longer than "
              + timeout
              + "; the connection was closed");
    }
  }

  /** Closes every connection whose handshake (and first request line) is overdue; how many. */
  public int sweep() {
    long now = nanoTime.getAsLong();
    int closed = 0;
    for (Map.Entry<ConnectionContext, Pending> e : List.copyOf(pending.entrySet())) {
      Pending p = e.getValue();
      switch (p.deadline().sweep(now, timeoutNanos)) {
        // fired at an earlier sweep: any racing prologue is past
        case FIRED_BEFORE -> pending.remove(e.getKey(), p);
        case FIRE -> {
          // Left in place until the next sweep: a prologue() racing this close must see it fired.
          p.connection().close(true);
          closed++;
        }
        case NOT_DUE -> {}
      }
    }
    return closed;
  }

  /** TLS connections still in their handshake or before their first request line (for tests). */
  public int pending() {
    return pending.size();
  }
}
