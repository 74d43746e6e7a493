package dev.cohort.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The publisher's sockets: a held batch leaves in one write, in the order it was written. */
class HeldWritesTest {
  /** The socket's side: what each write call carried. */
  static final class Writes extends OutputStream {
    final List<String> writes = new ArrayList<>();
    int flushes;

    @Override
    public void write(int b) {
      writes.add(String.valueOf((char) b));
    }

    @Override
    public void write(byte[] b, int off, int len) {
      writes.add(new String(b, off, len, StandardCharsets.US_ASCII));
    }

    @Override
    public void flush() {
      flushes++;
    }
  }

  private static void send(OutputStream out, String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.US_ASCII));
    out.flush(); // as the RabbitMQ client does after every command
  }

  @Test
  void writesGoThroughUntilHeld() throws IOException {
    Writes socket = new Writes();
    HeldWrites.HoldingStream out = new HeldWrites.HoldingStream(socket);
    send(out, "a");
    send(out, "b");
    assertThat(socket.writes).containsExactly("a", "b");
    assertThat(socket.flushes).isEqualTo(2);
  }

  @Test
  void heldWritesLeaveInOneWriteAtTheRelease() throws IOException {
    Writes socket = new Writes();
    HeldWrites.HoldingStream out = new HeldWrites.HoldingStream(socket);
    send(out, "before|");
    out.hold();
    send(out, "m1|");
    send(out, "m2|");
    out.write('x');
    send(out, "|m3");
    assertThat(socket.writes).containsExactly("before|");
    out.release();
    assertThat(socket.writes).containsExactly("before|", "m1|m2|x|m3");
    assertThat(socket.flushes).isEqualTo(2);
    send(out, "after");
    assertThat(socket.writes).containsExactly("before|", "m1|m2|x|m3", "after");
  }

  @Test
  void aReleaseWithNothingHeldWritesNothing() throws IOException {
    Writes socket = new Writes();
    HeldWrites.HoldingStream out = new HeldWrites.HoldingStream(socket);
    out.hold();
    out.release();
    assertThat(socket.writes).isEmpty();
    assertThat(socket.flushes).isZero();
  }

  @Test
  void pastTheLimitTheHeldBytesGoOutInOrder() throws IOException {
    Writes socket = new Writes();
    HeldWrites.HoldingStream out = new HeldWrites.HoldingStream(socket);
    String big = "b".repeat(HeldWrites.MAX_HELD_BYTES - 10);
    out.hold();
    send(out, "first|");
    send(out, big);
    send(out, "|over the limit");
    assertThat(String.join("", socket.writes)).isEqualTo("first|" + big + "|over the limit");
    send(out, "|held again");
    out.release();
    assertThat(String.join("", socket.writes))
        .isEqualTo("first|" + big + "|over the limit|held again");
    assertThat(socket.writes.get(socket.writes.size() - 1)).isEqualTo("|held again");
  }

  @Test
  void aRealSocketDeliversTheHeldBytesAtTheRelease() throws Exception {
    HeldWrites sockets = new HeldWrites();
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Socket client =
            sockets.createSocket(InetAddress.getLoopbackAddress(), server.getLocalPort());
        Socket peer = server.accept()) {
      OutputStream out = client.getOutputStream();
      assertThat(sockets.open()).isEqualTo(1);
      sockets.hold();
      send(out, "one,");
      send(out, "two");
      InputStream in = peer.getInputStream();
      peer.setSoTimeout(200);
      assertThat(readSome(in)).as("nothing arrives while held").isEmpty();
      sockets.release();
      peer.setSoTimeout(5_000);
      ByteArrayOutputStream got = new ByteArrayOutputStream();
      while (got.size() < "one,two".length()) {
        got.write(in.read());
      }
      assertThat(got.toString(StandardCharsets.US_ASCII)).isEqualTo("one,two");
    }
    assertThat(sockets.open()).isZero();
  }

  private static String readSome(InputStream in) throws IOException {
    try {
      int b = in.read();
      return b < 0 ? "" : String.valueOf((char) b);
    } catch (java.net.SocketTimeoutException e) {
      return "";
    }
  }
}
