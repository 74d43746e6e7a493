package dev.cohort.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Every statement the annotated method (or every method of the annotated class) runs goes to the
 * primary: cohort-replica's {@code Consistency.primary()} scope, opened before the method and
 * closed after it. For reads that must see the latest committed state, e.g. a balance checked
 * before a deduction.
 */
@Target({ElementType.METHOD, ElementType.TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface ReadPrimary {}
