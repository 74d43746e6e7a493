package dev.cohort.spring.internal;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestTemplate;

/**
 * Adds the {@link PropagatingInterceptor} to every {@code RestTemplate}, {@code RestClient} and
 * {@code RestClient.Builder} bean, so calls carry the gid and consistency token without user code.
 * Works on the Spring Framework types, which Boot 3 and 4 share.
 */
final class RestClientsPostProcessor implements BeanPostProcessor {
  private final ObjectProvider<PropagatingInterceptor> interceptor;

  RestClientsPostProcessor(ObjectProvider<PropagatingInterceptor> interceptor) {
    this.interceptor = interceptor;
  }

  @Override
  public Object postProcessAfterInitialization(Object bean, String beanName) {
    if (bean instanceof RestTemplate template) {
      if (template.getInterceptors().stream().noneMatch(PropagatingInterceptor.class::isInstance)) {
        template.getInterceptors().add(interceptor.getObject());
      }
      return template;
    }
    if (bean instanceof RestClient.Builder builder) {
      return builder.requestInterceptor(interceptor.getObject());
    }
    if (bean instanceof RestClient client) {
      // Idempotent: the interceptor never overwrites a header, so a client built from an
      // already processed builder is unaffected by the second one.
      return client.mutate().requestInterceptor(interceptor.getObject()).build();
    }
    return bean;
  }
}
