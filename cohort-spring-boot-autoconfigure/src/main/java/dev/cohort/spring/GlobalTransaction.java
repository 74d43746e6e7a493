package dev.cohort.spring;

import dev.cohort.api.Mode;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The annotated method runs one global transaction: it is begun before the method (with {@code
 * cohort.begin(mode)}), the method registers branches through {@link GlobalTransactions#current()},
 * and it is committed when the method returns or aborted when it throws. A call made while a global
 * transaction is already open on the thread joins it.
 *
 * <p>Commit waits for the outcome. A rolled-back one (a saga that compensated, a TCC try refused)
 * is thrown as {@link dev.cohort.client.TransactionRolledBackException}; a decided commit whose
 * confirms are still being delivered, or a saga in forward recovery, returns normally (the
 * coordinator finishes it). The gid travels in the {@code Cohort-Gid} header of calls made with the
 * application's {@code RestClient}, {@code RestTemplate} and {@code WebClient}.
 */
@Target({ElementType.METHOD, ElementType.TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface GlobalTransaction {
  /** The mode's code ({@link Mode#code()}): {@code "tcc"} or {@code "saga"}. */
  String mode() default "tcc";

  /** Coordinator-side timeout in milliseconds; 0 keeps the coordinator's default. */
  long timeoutMillis() default 0;
}
