package dev.cohort.coordinator.http;

import dev.cohort.protocol.JdkHttp;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.SSLContext;

/** {@link HttpPoster} over the JDK {@code HttpClient}: no dependency, one shared client. */
final class JdkPoster implements HttpPoster {
  private final HttpClient client;

  JdkPoster(Duration connectTimeout, SSLContext sslContext) {
    this.client = JdkHttp.client(connectTimeout, sslContext);
  }

  @Override
  public Answer post(
      URI url, Map<String, String> headers, byte[] body, Duration timeout, int maxAnswerBytes)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(url)
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach(request::header);
    HttpResponse<InputStream> response =
        client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream in = response.body()) {
      return new Answer(
          response.statusCode(), new String(in.readNBytes(maxAnswerBytes), StandardCharsets.UTF_8));
    }
  }

  @Override
  public void close() {
    client.close();
  }
}
