package dev.cohort.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cohort.api.Mode;
import dev.cohort.api.Outcome;
import dev.cohort.client.Branch;
import dev.cohort.client.Cohort;
import dev.cohort.client.CohortTransportException;
import dev.cohort.coordinator.http.HttpParticipant;
import dev.cohort.protocol.TrustedCertificates;
import dev.cohort.server.internal.HelidonPoster;
import dev.cohort.store.jdbc.JdbcTransactionStore;
import dev.cohort.testsupport.TestCertificates;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS end to end: the SDK reaches the server over verified {@code https}, the server calls {@code
 * https} participants that chain to a trusted CA and refuses the others, and a renewed certificate
 * is served after a reload without a restart.
 */
class ServerTlsTest {
  private static final String TOKEN = "tls-token-0123456789abcdef";

  @TempDir Path dir;

  private TestCertificates ca;
  private Path caPem;
  private Path certPem;
  private Path keyPem;

  @BeforeEach
  void certificates() {
    ca = TestCertificates.authority("Cohort test CA");
    caPem = ca.writeAuthority(dir.resolve("ca.pem"));
    certPem = dir.resolve("server.pem");
    keyPem = dir.resolve("server.key");
    ca.issue("cohort-server", "127.0.0.1", "localhost").write(certPem, keyPem);
  }

  private CohortServer server(HttpParticipant participant) {
    CohortServer.Builder builder =
        CohortServer.builder(JdbcTransactionStore.sqlite(dir.resolve("log.db")))
            .port(0)
            .token(TOKEN)
            .tls(ServerTls.pem(certPem, keyPem))
            .tlsReloadCheck(Duration.ZERO);
    if (participant != null) {
      builder.httpParticipant(participant);
    }
    return builder.build().start();
  }

  private static HttpParticipant trusting(Path caPem) {
    return HttpParticipant.builder()
        .poster(new HelidonPoster(Duration.ofSeconds(2), TrustedCertificates.read(caPem)))
        .unsigned()
        .build();
  }

  @Test
  void aTransactionRunsOverVerifiedTlsFromTheSdkToTheParticipants() throws Exception {
    try (Participants shop =
            Participants.https(ca.issue("shop", "127.0.0.1", "localhost").serverContext());
        CohortServer server = server(trusting(caPem));
        Cohort cohort =
            Cohort.connectTo(URI.create("https://127.0.0.1:" + server.port()))
                .token(TOKEN)
                .trustedCertificates(caPem)
                .build()) {
      Outcome outcome =
          cohort.run(
              Mode.TCC,
              List.of(
                  Branch.tcc(
                      "pay",
                      URI.create(shop.url("/p/try")),
                      URI.create(shop.url("/p/confirm")),
                      URI.create(shop.url("/p/cancel")),
                      "{\"cents\":1}")));
      assertThat(outcome.committed()).as("%s", outcome).isTrue();
      assertThat(shop.callsTo("/p/try")).hasSize(1);
      assertThat(shop.callsTo("/p/confirm")).hasSize(1);
    }
  }

  @Test
  void theSdkRefusesAServerItDoesNotTrust() {
    try (CohortServer server = server(null);
        Cohort cohort =
            Cohort.connectTo(URI.create("https://127.0.0.1:" + server.port()))
                .token(TOKEN)
                .trustedCertificates(
                    TestCertificates.authority("someone else").writeAuthority(dir.resolve("o.pem")))
                .build()) {
      assertThatThrownBy(() -> cohort.outcome(dev.cohort.api.Gid.of("nobody")))
          .isInstanceOf(CohortTransportException.class);
    }
  }

  @Test
  void aParticipantWhoseCertificateDoesNotChainToTheCaIsNotTalkedTo() throws Exception {
    try (Participants trusted =
            Participants.https(ca.issue("ok", "127.0.0.1", "localhost").serverContext());
        Participants impostor =
            Participants.https(
                TestCertificates.selfSigned("impostor", "127.0.0.1").serverContext());
        Participants wrongName =
            Participants.https(ca.issue("elsewhere", "10.9.8.7").serverContext());
        HelidonPoster poster =
            new HelidonPoster(Duration.ofSeconds(2), TrustedCertificates.read(caPem))) {
      byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
      assertThat(
              poster
                  .post(
                      URI.create(trusted.url("/p/try")), Map.of(), body, Duration.ofSeconds(2), 100)
                  .status())
          .isEqualTo(200);
      assertThatThrownBy(() ->
              poster.post(
                  URI.create(impostor.url("/p/try")), Map.of(), body, Duration.ofSeconds(2), 100))
          .as("certificate from an unknown issuer")
          .isInstanceOf(IOException.class);
      assertThatThrownBy(() ->
              poster.post(
                  URI.create(wrongName.url("/p/try")), Map.of(), body, Duration.ofSeconds(2), 100))
          .as("certificate for another address")
          .isInstanceOf(IOException.class);
      assertThat(impostor.calls()).isEmpty();
      assertThat(wrongName.calls()).isEmpty();
    }
  }

  @Test
  void aRenewedCertificateIsServedAfterAReloadWithoutARestart() throws Exception {
    try (CohortServer server = server(null)) {
      BigInteger first = presentedSerial(server.port());
      TestCertificates.Issued renewed = ca.issue("cohort-server", "127.0.0.1", "localhost");
      renewed.write(certPem, keyPem);
      assertThat(presentedSerial(server.port())).as("not reloaded yet").isEqualTo(first);
      server.reloadTls();
      assertThat(presentedSerial(server.port())).isEqualTo(renewed.serial()).isNotEqualTo(first);
    }
  }

  @Test
  void aBrokenRenewalKeepsTheCurrentCertificate() throws Exception {
    try (CohortServer server = server(null)) {
      BigInteger first = presentedSerial(server.port());
      Files.writeString(keyPem, "not a key");
      assertThatThrownBy(server::reloadTls)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(keyPem.toString());
      assertThat(presentedSerial(server.port())).isEqualTo(first);
    }
  }

  @Test
  void missingOrUnreadableFilesAreNamed() {
    assertThatThrownBy(() -> ServerTls.pem(dir.resolve("nope.pem"), keyPem))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("nope.pem")
        .hasMessageContaining("does not exist");
    assertThatThrownBy(() -> ServerTls.pem(certPem, certPem))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PEM");
    assertThatThrownBy(() -> TrustedCertificates.read(keyPem))
        .hasMessageContaining(keyPem.toString())
        .hasMessageContaining("BEGIN CERTIFICATE");
  }

  /** The serial number of the certificate the server presents to a new connection. */
  private BigInteger presentedSerial(int port) throws IOException {
    SSLContext trustAll = TrustedCertificates.sslContext(caPem);
    try (SSLSocket socket = (SSLSocket) trustAll.getSocketFactory().createSocket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2_000);
      socket.startHandshake();
      return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSerialNumber();
    }
  }
}
