package dev.cohort.spring.internal;

import java.io.IOException;
import java.util.List;
import org.springframework.http.HttpRequest;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.ClientHttpResponse;

/**
 * Adds Cohort's headers to calls made with {@code RestClient} and {@code RestTemplate}; a header
 * the caller set itself is left alone.
 */
final class PropagatingInterceptor implements ClientHttpRequestInterceptor {
  private final List<OutgoingHeaders> sources;

  PropagatingInterceptor(List<OutgoingHeaders> sources) {
    this.sources = List.copyOf(sources);
  }

  @Override
  public ClientHttpResponse intercept(
      HttpRequest request, byte[] body, ClientHttpRequestExecution execution) throws IOException {
    for (OutgoingHeaders source : sources) {
      source.addTo((name, value) -> {
        if (request.getHeaders().getFirst(name) == null) {
          request.getHeaders().set(name, value);
        }
      });
    }
    return execution.execute(request, body);
  }
}
