package dev.cohort.coordinator.http;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * How {@link HttpParticipant} sends one call: a keep-alive HTTP/1.1 {@code POST}. The default is
 * the JDK {@code HttpClient} ({@link #jdk}), which needs no dependency; a coordinator that makes
 * many calls can plug in a leaner client (cohort-server uses Helidon's WebClient, measured at about
 * a third of the JDK client's CPU per call on loopback).
 *
 * <p>Failures are reported with the JDK's exception types so that every poster reads the same in
 * logs and in retry decisions: {@link java.net.http.HttpConnectTimeoutException} when no connection
 * was made within the connect timeout, {@link java.net.http.HttpTimeoutException} when no answer
 * came within {@code timeout}, {@link java.net.ConnectException} when the connection was refused,
 * any other {@link IOException} for the rest.
 */
public interface HttpPoster extends AutoCloseable {
  /** The status and the first {@code maxAnswerBytes} of the body, as UTF-8 text. */
  record Answer(int status, String body) {}

  /**
   * Posts {@code body} (JSON) with {@code headers} and waits at most {@code timeout} for the
   * answer.
   */
  Answer post(
      URI url, Map<String, String> headers, byte[] body, Duration timeout, int maxAnswerBytes)
      throws IOException, InterruptedException;

  /** Closes the poster's connections. */
  @Override
  void close();

  /** The JDK {@code HttpClient}, HTTP/1.1, no redirects, virtual threads for its callbacks. */
  static HttpPoster jdk(Duration connectTimeout) {
    return new JdkPoster(connectTimeout, null);
  }

  /**
   * The same, trusting {@code sslContext} for {@code https} participants (e.g. {@link
   * dev.cohort.protocol.TrustedCertificates#sslContext} for a private CA); host names are checked.
   */
  static HttpPoster jdk(Duration connectTimeout, javax.net.ssl.SSLContext sslContext) {
    return new JdkPoster(connectTimeout, sslContext);
  }
}
