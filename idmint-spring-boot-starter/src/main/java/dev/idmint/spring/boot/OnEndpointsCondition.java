package dev.idmint.spring.boot;

import java.util.List;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when {@code idmint.client.endpoints} holds at least one entry, in any form Spring binds
 * to a list (comma-separated, or indexed as YAML lists are): {@code @ConditionalOnProperty} would
 * miss {@code endpoints[0]}.
 */
final class OnEndpointsCondition extends SpringBootCondition {
  static final String PROPERTY = "idmint.client.endpoints";

  @Override
  public ConditionOutcome getMatchOutcome(
      ConditionContext context, AnnotatedTypeMetadata metadata) {
    List<String> endpoints =
        Binder.get(context.getEnvironment())
            .bind(PROPERTY, Bindable.listOf(String.class))
            .orElse(List.of());
    return endpoints.isEmpty()
        ? ConditionOutcome.noMatch(PROPERTY + " is not set")
        : ConditionOutcome.match(PROPERTY + " is set: " + endpoints);
  }
}
