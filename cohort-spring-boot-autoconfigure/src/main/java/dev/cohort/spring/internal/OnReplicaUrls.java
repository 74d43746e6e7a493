package dev.cohort.spring.internal;

import java.util.List;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** {@code cohort.replica.urls} is set, as a list ({@code urls[0]=...}) or comma-separated. */
final class OnReplicaUrls implements Condition {
  @Override
  public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
    return Binder.get(context.getEnvironment())
        .bind("cohort.replica.urls", Bindable.listOf(String.class))
        .map(urls -> !urls.isEmpty())
        .orElse(false);
  }

  static List<String> urls(Binder binder) {
    return binder.bind("cohort.replica.urls", Bindable.listOf(String.class)).orElse(List.of());
  }
}
