package dev.cohort.spring;

import java.util.Objects;

/**
 * A saga step served over HTTP, from two method references:
 *
 * <pre>{@code
 * @Bean
 * SagaEndpoint<Outbound> warehouse(Warehouse w) {
 *   return SagaEndpoint.of("warehouse", Outbound.class, w::createNote, w::cancelNote);
 * }
 * }</pre>
 *
 * @param <T> the payload type
 */
public record SagaEndpoint<T>(
    String name, Class<T> payloadType, BranchHandler<T> onAction, BranchHandler<T> onCompensate)
    implements CohortEndpoint {
  public SagaEndpoint {
    CohortEndpoint.checkName(name);
    Objects.requireNonNull(payloadType, "payloadType");
    Objects.requireNonNull(onAction, "onAction: give a handler, (p, call) -> {} for none");
    Objects.requireNonNull(onCompensate, "onCompensate: give a handler, (p, call) -> {} for none");
  }

  public static <T> SagaEndpoint<T> of(
      String name, Class<T> payloadType, BranchHandler<T> onAction, BranchHandler<T> onCompensate) {
    return new SagaEndpoint<>(name, payloadType, onAction, onCompensate);
  }
}
