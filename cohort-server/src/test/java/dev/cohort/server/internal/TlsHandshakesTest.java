package dev.cohort.server.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.helidon.http.HttpPrologue;
import io.helidon.http.Method;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.spi.ServerConnection;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The handshake deadline on a clock the test moves: due connections are closed once, those that
 * sent their first request line in time never, and a request line racing the close is refused.
 * (TlsHandshakeTest runs it against a real TLS listener.)
 */
class TlsHandshakesTest {
  private final AtomicLong now = new AtomicLong(1_000);
  private final TlsHandshakes handshakes = new TlsHandshakes(Duration.ofNanos(100), now::get);
  private static final HttpPrologue PROLOGUE =
      HttpPrologue.create("HTTP/1.1", "HTTP", "1.1", Method.GET, "/health", false);

  @Test
  void aHandshakeStillRunningAtItsDeadlineIsClosedOnce() {
    ConnectionContext stalled = context(true);
    Closes closes = new Closes();
    handshakes.opened(stalled, closes);
    now.addAndGet(99);
    assertThat(handshakes.sweep()).isZero();
    now.addAndGet(1);
    assertThat(handshakes.sweep()).isOne();
    assertThat(closes.interrupting.get()).isOne();
    handshakes.closed(stalled);
    assertThat(handshakes.pending()).as("kept for a racing request line").isOne();
    assertThat(handshakes.sweep()).as("closed already").isZero();
    assertThat(handshakes.pending()).isZero();
  }

  @Test
  void aConnectionThatSentItsFirstRequestLineInTimeIsNeverClosed() {
    ConnectionContext honest = context(true);
    Closes closes = new Closes();
    handshakes.opened(honest, closes);
    handshakes.prologue(honest, PROLOGUE);
    now.addAndGet(1_000_000);
    assertThat(handshakes.sweep()).isZero();
    assertThat(closes.interrupting.get()).isZero();
    assertThat(handshakes.pending()).isZero();
  }

  @Test
  void aRequestLineArrivingAfterTheCloseFiredIsNotHandled() {
    ConnectionContext late = context(true);
    handshakes.opened(late, new Closes());
    now.addAndGet(100);
    assertThat(handshakes.sweep()).isOne();
    // The close ends the connection's bookkeeping at once, before its thread saw the interrupt.
    handshakes.closed(late);
    assertThatThrownBy(() -> handshakes.prologue(late, PROLOGUE))
        .isInstanceOf(CloseConnectionException.class)
        .hasMessageContaining("handshake");
  }

  @Test
  void plainConnectionsHaveNoHandshakeToWatch() {
    handshakes.opened(context(false), new Closes());
    assertThat(handshakes.pending()).isZero();
  }

  /** A connection context that only answers isSecure (and identity, as a map key). */
  private static ConnectionContext context(boolean secure) {
    return (ConnectionContext)
        Proxy.newProxyInstance(
            ConnectionContext.class.getClassLoader(),
            new Class<?>[] {ConnectionContext.class},
            (proxy, method, args) ->
                switch (method.getName()) {
                  case "isSecure" -> secure;
                  case "hashCode" -> System.identityHashCode(proxy);
                  case "equals" -> proxy == args[0];
                  case "toString" -> "context";
                  default -> throw new UnsupportedOperationException(method.getName());
                });
  }

  private static final class Closes implements ServerConnection {
    final AtomicInteger interrupting = new AtomicInteger();

    @Override
    public Duration idleTime() {
      return Duration.ZERO;
    }

    @Override
    public void close(boolean interrupt) {
      if (interrupt) {
        interrupting.incrementAndGet();
      }
    }
  }
}
