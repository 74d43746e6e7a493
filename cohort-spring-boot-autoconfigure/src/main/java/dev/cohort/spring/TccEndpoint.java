package dev.cohort.spring;

import java.util.Objects;

/**
 * A TCC participant served over HTTP, from three method references:
 *
 * <pre>{@code
 * @Bean
 * TccEndpoint<Payment> account(AccountService accounts) {
 *   return TccEndpoint.of("account", Payment.class,
 *       accounts::freeze, accounts::debit, accounts::unfreeze);
 * }
 * }</pre>
 *
 * Each handler runs in one Spring transaction with the barrier row, so a repeated confirm is
 * skipped, a cancel before its try is an empty rollback and a try after its cancel is refused.
 *
 * @param <T> the payload type
 */
public record TccEndpoint<T>(
    String name,
    Class<T> payloadType,
    BranchHandler<T> onTry,
    BranchHandler<T> onConfirm,
    BranchHandler<T> onCancel)
    implements CohortEndpoint {
  public TccEndpoint {
    CohortEndpoint.checkName(name);
    Objects.requireNonNull(payloadType, "payloadType");
    Objects.requireNonNull(onTry, "onTry: give a handler, (p, call) -> {} when there is nothing");
    Objects.requireNonNull(onConfirm, "onConfirm: give a handler, (p, call) -> {} for none");
    Objects.requireNonNull(onCancel, "onCancel: give a handler, (p, call) -> {} for none");
  }

  public static <T> TccEndpoint<T> of(
      String name,
      Class<T> payloadType,
      BranchHandler<T> onTry,
      BranchHandler<T> onConfirm,
      BranchHandler<T> onCancel) {
    return new TccEndpoint<>(name, payloadType, onTry, onConfirm, onCancel);
  }
}
