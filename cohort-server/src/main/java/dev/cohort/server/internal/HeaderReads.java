package dev.cohort.server.internal;

import io.helidon.http.Headers;
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
 * Cuts a request whose headers do not all arrive within a timeout of its request line, so a client
 * that sends them byte by byte (or stops half way) does not hold a connection and a thread for
 * ever. Helidon's idle timeout covers the time before the request line (a silent connection) but
 * not the headers after it: once the request line is read, Helidon treats the connection as busy.
 *
 * <p>Helidon tells this listener when a request line was read and when its headers were; {@link
 * #sweep()}, run on a schedule, closes the connections whose headers are overdue (closing
 * interrupts the thread blocked on the socket, which closes the socket). Headers that arrive first
 * are never cut: a flag checked under the request's lock, and headers that complete just as the
 * sweep fired end the connection before the request is handled.
 */
public final class HeaderReads implements Http1ConnectionListener {
  private final Duration timeout;
  private final long timeoutNanos;
  private final LongSupplier nanoTime;
  private final Map<ConnectionContext, ServerConnection> connections = new ConcurrentHashMap<>();
  private final Map<ConnectionContext, SweptDeadline> reading = new ConcurrentHashMap<>();

  public HeaderReads(Duration timeout, LongSupplier nanoTime) {
    this.timeout = timeout;
    this.timeoutNanos = timeout.toNanos();
    this.nanoTime = nanoTime;
  }

  /** How often {@link #sweep()} should run: a quarter of the timeout, at least every 5 s. */
  public Duration sweepPeriod() {
    return SweptDeadline.sweepPeriod(timeout);
  }

  /** A connection that {@link #sweep()} may close; until {@link #closed}. */
  void opened(ConnectionContext ctx, ServerConnection connection) {
    connections.put(ctx, connection);
  }

  void closed(ConnectionContext ctx) {
    connections.remove(ctx);
    // A head the sweep fired on stays until the next sweep, for a headers() call racing the close.
    reading.computeIfPresent(ctx, (c, head) -> head.fired() ? head : null);
  }

  @Override
  public void prologue(ConnectionContext ctx, HttpPrologue prologue) {
    if (connections.containsKey(ctx)) {
      reading.put(ctx, new SweptDeadline(nanoTime.getAsLong()));
    }
  }

  @Override
  public void headers(ConnectionContext ctx, Headers headers) {
    SweptDeadline head = reading.remove(ctx);
    if (head != null && head.arrive()) {
      // The sweep closed this connection as the last header arrived: do not handle the request.
      boolean unused = Thread.interrupted();
      throw new CloseConnectionException(
          "the request headers took longer than " + timeout + "; the connection was closed");
    }
  }

  /** Closes every connection whose headers are overdue; returns how many. */
  public int sweep() {
    long now = nanoTime.getAsLong();
    int closed = 0;
    for (Map.Entry<ConnectionContext, SweptDeadline> e : List.copyOf(reading.entrySet())) {
      SweptDeadline head = e.getValue();
      ServerConnection connection = connections.get(e.getKey());
      switch (head.sweep(now, timeoutNanos)) {
        case FIRED_BEFORE -> {
          if (connection == null) {
            reading.remove(e.getKey(), head); // fired at an earlier sweep and closed since
          }
        }
        case FIRE -> {
          // Left in place: a headers() call racing this close must still see that it fired.
          if (connection != null) {
            connection.close(true);
            closed++;
          }
        }
        case NOT_DUE -> {}
      }
    }
    return closed;
  }

  /** Requests whose headers are being read now (for tests and diagnostics). */
  public int reading() {
    return reading.size();
  }
}
