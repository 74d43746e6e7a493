package dev.cohort.server.internal;

import dev.cohort.coordinator.http.HttpPoster;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Deque;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * Participant calls over plain keep-alive HTTP/1.1 sockets, read and written on the calling
 * (virtual) thread and nothing else: no selector, no watcher thread per pooled connection
 * (Helidon's WebClient starts one each time a connection goes back to its pool, to notice a close,
 * and the next call waits for it to stop — two thread wake-ups per call where one does). {@code
 * https} URLs go to {@code tls}, another poster.
 *
 * <p>A pooled connection the participant closed meanwhile shows only when it is used. A call on a
 * reused connection that fails before any byte of the answer arrived is sent once more on a new
 * connection: the participant may see it twice, which the protocol allows (every call is idempotent
 * through the participant's barrier). Connections idle longer than {@link #MAX_IDLE} are not
 * reused, to stay under common server keep-alive timeouts (Node.js: 5 s).
 */
public final class SocketPoster implements HttpPoster {
  /** Pooled connections idle longer than this are closed rather than reused. */
  static final Duration MAX_IDLE = Duration.ofSeconds(4);

  private static final int MAX_HEAD_BYTES = 64 * 1024;
  private static final int MAX_POOLED_PER_ADDRESS = 256;

  private final int connectTimeoutMillis;
  private final HttpPoster tls;
  private final Map<String, Deque<Connection>> pools = new ConcurrentHashMap<>();

  public SocketPoster(Duration connectTimeout, HttpPoster tls) {
    this.connectTimeoutMillis = (int) Math.max(1, connectTimeout.toMillis());
    this.tls = tls;
  }

  @Override
  public Answer post(
      URI url, Map<String, String> headers, byte[] body, Duration timeout, int maxAnswerBytes)
      throws IOException, InterruptedException {
    String scheme = String.valueOf(url.getScheme()).toLowerCase(Locale.ROOT);
    if (scheme.equals("https")) {
      return tls.post(url, headers, body, timeout, maxAnswerBytes);
    }
    if (!scheme.equals("http") || url.getHost() == null) {
      throw new IOException("not an absolute http(s) URL: " + url);
    }
    int port = url.getPort() == -1 ? 80 : url.getPort();
    String key = url.getHost() + ":" + port;
    byte[] request = request(url, port, headers, body);
    long deadline = System.nanoTime() + timeout.toNanos();
    Connection reused = take(key);
    if (reused != null) {
      Exchange first = exchange(reused, key, request, deadline, timeout, maxAnswerBytes);
      if (first.answer != null) {
        return first.answer;
      }
      // The participant had closed this connection: send it once more on a new one.
    }
    Connection fresh = connect(url.getHost(), port);
    Exchange exchange = exchange(fresh, key, request, deadline, timeout, maxAnswerBytes);
    if (exchange.answer == null) {
      throw exchange.failure;
    }
    return exchange.answer;
  }

  /** An answer, or the failure of a reused connection before any byte of the answer came. */
  private record Exchange(Answer answer, IOException failure) {}

  private Exchange exchange(
      Connection c, String key, byte[] request, long deadline, Duration timeout, int maxAnswer)
      throws IOException, InterruptedException {
    boolean answered = false;
    try {
      c.out.write(request);
      c.out.flush();
      c.readTimeout(deadline, timeout);
      int first = c.in.read();
      if (first < 0) {
        throw new EOFException("the participant closed the connection without an answer");
      }
      answered = true;
      Answer answer = read(c, first, deadline, timeout, maxAnswer);
      if (c.keepAlive) {
        give(key, c);
      } else {
        c.close();
      }
      return new Exchange(answer, null);
    } catch (SocketTimeoutException e) {
      c.close();
      HttpTimeoutException mapped =
          new HttpTimeoutException("no answer within " + timeout.toMillis() + " ms");
      mapped.initCause(e);
      throw mapped;
    } catch (IOException e) {
      c.close();
      if (Thread.interrupted()) {
        throw new InterruptedException("interrupted while calling the participant");
      }
      if (c.reused && !answered) {
        return new Exchange(null, e);
      }
      throw e;
    }
  }

  private static byte[] request(URI url, int port, Map<String, String> headers, byte[] body) {
    String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
    if (url.getRawQuery() != null) {
      path += "?" + url.getRawQuery();
    }
    StringBuilder head = new StringBuilder(256);
    head.append("POST ").append(path).append(" HTTP/1.1\r\nHost: ").append(url.getHost());
    if (url.getPort() != -1) {
      head.append(':').append(port);
    }
    head.append("\r\nContent-Type: application/json\r\nContent-Length: ")
        .append(body.length)
        .append("\r\n");
    for (Map.Entry<String, String> h : headers.entrySet()) {
      checkHeader(h.getKey());
      checkHeader(h.getValue());
      head.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
    }
    head.append("\r\n");
    byte[] headBytes = head.toString().getBytes(StandardCharsets.UTF_8);
    byte[] all = new byte[headBytes.length + body.length];
    System.arraycopy(headBytes, 0, all, 0, headBytes.length);
    System.arraycopy(body, 0, all, headBytes.length, body.length);
    return all;
  }

  private static void checkHeader(String text) {
    if (text.indexOf('\r') >= 0 || text.indexOf('\n') >= 0) {
      throw new IllegalArgumentException("a header name or value holds a line break: " + text);
    }
  }

  /** Reads status line, headers and body; sets whether the connection can be kept. */
  private static Answer read(Connection c, int first, long deadline, Duration timeout, int max)
      throws IOException {
    int[] budget = {MAX_HEAD_BYTES};
    String statusLine = ((char) first) + line(c, budget, deadline, timeout);
    while (true) {
      String[] parts = statusLine.split(" ", 3);
      if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
        throw new IOException("not an HTTP/1.x answer: " + abbreviate(statusLine));
      }
      int status;
      try {
        status = Integer.parseInt(parts[1]);
      } catch (NumberFormatException e) {
        throw new IOException("not an HTTP status: " + abbreviate(statusLine), e);
      }
      long length = -1;
      boolean chunked = false;
      boolean keepAlive = parts[0].equals("HTTP/1.1");
      while (true) {
        String header = line(c, budget, deadline, timeout);
        if (header.isEmpty()) {
          break;
        }
        int colon = header.indexOf(':');
        if (colon <= 0) {
          continue;
        }
        String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
        String value = header.substring(colon + 1).trim().toLowerCase(Locale.ROOT);
        switch (name) {
          case "content-length" -> {
            try {
              length = Long.parseLong(value);
            } catch (NumberFormatException e) {
              throw new IOException("bad Content-Length: " + abbreviate(value), e);
            }
          }
          case "transfer-encoding" -> chunked = value.contains("chunked");
          case "connection" -> {
            if (value.contains("close")) {
              keepAlive = false;
            } else if (value.contains("keep-alive")) {
              keepAlive = true;
            }
          }
          default -> {}
        }
      }
      if (status >= 100 && status < 200 && status != 101) {
        statusLine = line(c, budget, deadline, timeout); // an interim answer: the real one follows
        continue;
      }
      ByteArrayOutputStream kept = new ByteArrayOutputStream();
      if (chunked) {
        readChunked(c, kept, max, budget, deadline, timeout);
      } else if (length >= 0) {
        copy(c, kept, length, max, deadline, timeout);
      } else if (status != 204 && status != 304) {
        copy(c, kept, Long.MAX_VALUE, max, deadline, timeout); // until the participant closes
        keepAlive = false;
      }
      c.keepAlive = keepAlive;
      return new Answer(status, kept.toString(StandardCharsets.UTF_8));
    }
  }

  private static void readChunked(
      Connection c,
      ByteArrayOutputStream kept,
      int max,
      int[] budget,
      long deadline,
      Duration timeout)
      throws IOException {
    while (true) {
      String sizeLine = line(c, budget, deadline, timeout);
      int semicolon = sizeLine.indexOf(';');
      String hex = (semicolon >= 0 ? sizeLine.substring(0, semicolon) : sizeLine).trim();
      long size;
      try {
        size = Long.parseLong(hex, 16);
      } catch (NumberFormatException e) {
        throw new IOException("bad chunk size: " + abbreviate(sizeLine), e);
      }
      if (size == 0) {
        while (!line(c, budget, deadline, timeout).isEmpty()) {
          // trailers: ignored
        }
        return;
      }
      copy(c, kept, size, max, deadline, timeout);
      if (!line(c, budget, deadline, timeout).isEmpty()) {
        throw new IOException("a chunk does not end with CRLF");
      }
    }
  }

  /** Reads {@code length} bytes (or to the end), keeping at most {@code max} in {@code kept}. */
  private static void copy(
      Connection c, ByteArrayOutputStream kept, long length, int max, long deadline, Duration t)
      throws IOException {
    byte[] buffer = new byte[8192];
    long left = length;
    while (left > 0) {
      c.readTimeout(deadline, t);
      int n = c.in.read(buffer, 0, (int) Math.min(buffer.length, left));
      if (n < 0) {
        if (length == Long.MAX_VALUE) {
          return;
        }
        throw new EOFException("the answer ended before its announced length");
      }
      int keep = Math.min(n, max - kept.size());
      if (keep > 0) {
        kept.write(buffer, 0, keep);
      }
      left -= n;
    }
  }

  /** One line without its CRLF (a bare LF is accepted), counted against the head's budget. */
  private static String line(Connection c, int[] budget, long deadline, Duration timeout)
      throws IOException {
    StringBuilder line = new StringBuilder(64);
    c.readTimeout(deadline, timeout);
    while (true) {
      int b = c.in.read();
      if (b < 0) {
        throw new EOFException("the answer ended in its head");
      }
      if (--budget[0] < 0) {
        throw new IOException("the answer's head is longer than " + MAX_HEAD_BYTES + " bytes");
      }
      if (b == '\n') {
        int end = line.length();
        if (end > 0 && line.charAt(end - 1) == '\r') {
          line.setLength(end - 1);
        }
        return line.toString();
      }
      line.append((char) b);
    }
  }

  private static String abbreviate(String text) {
    return text.length() <= 80 ? text : text.substring(0, 80) + "...";
  }

  private Connection take(String key) {
    Deque<Connection> pool = pools.get(key);
    if (pool == null) {
      return null;
    }
    Connection c;
    long now = System.nanoTime();
    while ((c = pool.pollFirst()) != null) {
      if (now - c.idleSince <= MAX_IDLE.toNanos() && !c.socket.isClosed()) {
        c.reused = true;
        return c;
      }
      c.close();
    }
    return null;
  }

  private void give(String key, Connection c) {
    Deque<Connection> pool = pools.computeIfAbsent(key, k -> new ConcurrentLinkedDeque<>());
    if (pool.size() >= MAX_POOLED_PER_ADDRESS) {
      c.close();
      return;
    }
    c.idleSince = System.nanoTime();
    pool.offerFirst(c); // the most recently used first: the least likely to be closed meanwhile
  }

  private Connection connect(String host, int port) throws IOException {
    Socket socket = new Socket();
    try {
      socket.setTcpNoDelay(true);
      socket.connect(new InetSocketAddress(host, port), connectTimeoutMillis);
      return new Connection(socket);
    } catch (SocketTimeoutException e) {
      socket.close();
      HttpConnectTimeoutException mapped =
          new HttpConnectTimeoutException(
              "connect timed out after " + connectTimeoutMillis + " ms: " + host + ":" + port);
      mapped.initCause(e);
      throw mapped;
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
  }

  @Override
  public void close() {
    for (Deque<Connection> pool : pools.values()) {
      Connection c;
      while ((c = pool.pollFirst()) != null) {
        c.close();
      }
    }
    tls.close();
  }

  /** A socket with its buffered streams; used by one call at a time. */
  private static final class Connection {
    final Socket socket;
    final InputStream in;
    final OutputStream out;
    boolean keepAlive;
    boolean reused;
    long idleSince;

    Connection(Socket socket) throws IOException {
      this.socket = socket;
      this.in = new BufferedInputStream(socket.getInputStream(), 8192);
      this.out = socket.getOutputStream();
    }

    /** The time left until {@code deadline} as the socket's read timeout. */
    void readTimeout(long deadline, Duration timeout) throws IOException {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new SocketTimeoutException("no answer within " + timeout.toMillis() + " ms");
      }
      socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, left / 1_000_000)));
    }

    void close() {
      try {
        socket.close();
      } catch (IOException e) {
        // closing: nothing to do about it
      }
    }
  }
}
