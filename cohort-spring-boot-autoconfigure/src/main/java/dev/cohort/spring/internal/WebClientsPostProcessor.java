package dev.cohort.spring.internal;

import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Adds Cohort's headers to every {@code WebClient} and {@code WebClient.Builder} bean. The headers
 * are read when the exchange is subscribed: on the calling thread for {@code block()}, which is
 * where the thread's gid and token are. Reactive pipelines that hop threads must pass the token
 * themselves (docs/spring-boot.md).
 */
final class WebClientsPostProcessor implements BeanPostProcessor {
  private final ObjectProvider<OutgoingHeaders> sources;

  WebClientsPostProcessor(ObjectProvider<OutgoingHeaders> sources) {
    this.sources = sources;
  }

  @Override
  public Object postProcessAfterInitialization(Object bean, String beanName) {
    if (bean instanceof WebClient.Builder builder) {
      return builder.filter(filter());
    }
    if (bean instanceof WebClient client) {
      return client.mutate().filter(filter()).build();
    }
    return bean;
  }

  private ExchangeFilterFunction filter() {
    List<OutgoingHeaders> headers = sources.orderedStream().toList();
    return (request, next) -> {
      ClientRequest.Builder out = ClientRequest.from(request);
      for (OutgoingHeaders source : headers) {
        source.addTo((name, value) -> {
          if (request.headers().getFirst(name) == null) {
            out.header(name, value);
          }
        });
      }
      return next.exchange(out.build());
    };
  }
}
