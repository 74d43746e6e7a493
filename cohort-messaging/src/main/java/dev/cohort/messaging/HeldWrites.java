package dev.cohort.messaging;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.SocketFactory;

/**
 * Plain TCP sockets for the RabbitMQ client whose writes can be held back and sent as one: {@link
 * #hold()} before publishing a batch, {@link #release()} after it. The client writes and flushes
 * every command on its own, so a batch of 256 messages was 256 socket writes, each waking the
 * broker; on a machine with more runnable threads than cores the publishing thread then waited for
 * a core after nearly every one of them (the relay's profile: nine tenths of its publish time in
 * the run queue). Held, the batch leaves in one write.
 *
 * <p>What is held is the connection's whole byte stream, in the order written, whichever thread
 * wrote it (frames of other channels, acknowledgements, heartbeats): the order on the wire is the
 * order of the writes, as without holding, only later. Past {@link #MAX_HELD_BYTES} the held bytes
 * go out at once, so a long batch never holds more than that. Holding is for the duration of one
 * batch's publish calls, which never wait for the broker.
 */
final class HeldWrites extends SocketFactory {
  /** Most bytes held back before they go out anyway. */
  static final int MAX_HELD_BYTES = 256 * 1024;

  private final Set<HoldingStream> streams = ConcurrentHashMap.newKeySet();

  /** Holds what every open socket of this factory writes from now on, until {@link #release}. */
  void hold() {
    for (HoldingStream s : streams) {
      s.hold();
    }
  }

  /**
   * Sends what was held and stops holding.
   *
   * @throws IOException a socket could not be written (its connection is lost; the client's
   *     recovery replaces it)
   */
  void release() throws IOException {
    IOException failed = null;
    for (HoldingStream s : streams) {
      try {
        s.release();
      } catch (IOException e) {
        failed = e;
      }
    }
    if (failed != null) {
      throw failed;
    }
  }

  @Override
  public Socket createSocket() {
    return new HoldingSocket();
  }

  @Override
  public Socket createSocket(String host, int port) throws IOException {
    return connected(new InetSocketAddress(host, port), null);
  }

  @Override
  public Socket createSocket(String host, int port, InetAddress localHost, int localPort)
      throws IOException {
    return connected(
        new InetSocketAddress(host, port), new InetSocketAddress(localHost, localPort));
  }

  @Override
  public Socket createSocket(InetAddress host, int port) throws IOException {
    return connected(new InetSocketAddress(host, port), null);
  }

  @Override
  public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
      throws IOException {
    return connected(
        new InetSocketAddress(address, port), new InetSocketAddress(localAddress, localPort));
  }

  private Socket connected(InetSocketAddress remote, InetSocketAddress local) throws IOException {
    Socket s = createSocket();
    try {
      if (local != null) {
        s.bind(local);
      }
      s.connect(remote);
      return s;
    } catch (IOException | RuntimeException e) {
      s.close();
      throw e;
    }
  }

  /** How many sockets are open (tests). */
  int open() {
    return streams.size();
  }

  private final class HoldingSocket extends Socket {
    private HoldingStream out;

    @Override
    public synchronized OutputStream getOutputStream() throws IOException {
      if (out == null) {
        out = new HoldingStream(super.getOutputStream());
        streams.add(out);
      }
      return out;
    }

    @Override
    public synchronized void close() throws IOException {
      if (out != null) {
        streams.remove(out);
      }
      super.close();
    }
  }

  /** The socket's stream: written through, or into {@code held} while holding. */
  static final class HoldingStream extends OutputStream {
    private final OutputStream socket;
    private byte[] held = new byte[16 * 1024];
    private int size;
    private boolean holding;

    HoldingStream(OutputStream socket) {
      this.socket = socket;
    }

    synchronized void hold() {
      holding = true;
    }

    synchronized void release() throws IOException {
      holding = false;
      if (sendHeld()) {
        socket.flush();
      }
    }

    /** Writes what is held, if anything; whether it did. */
    private boolean sendHeld() throws IOException {
      if (size == 0) {
        return false;
      }
      int n = size;
      size = 0; // also when the write fails: the connection is lost with what it held
      socket.write(held, 0, n);
      return true;
    }

    @Override
    public synchronized void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) throws IOException {
      if (!holding || size + len > MAX_HELD_BYTES) {
        var unused = sendHeld();
        socket.write(b, off, len);
        return;
      }
      if (size + len > held.length) {
        held = Arrays.copyOf(held, Math.max(held.length * 2, size + len));
      }
      System.arraycopy(b, off, held, size, len);
      size += len;
    }

    @Override
    public synchronized void flush() throws IOException {
      if (!holding) {
        var unused = sendHeld();
        socket.flush();
      }
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
