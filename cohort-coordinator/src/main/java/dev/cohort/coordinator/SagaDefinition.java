package dev.cohort.coordinator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cohort.api.BranchId;
import dev.cohort.api.InvalidDefinitionException;
import dev.cohort.api.InvalidInputException;
import dev.cohort.coordinator.internal.Plan;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A saga as data: ordered steps, each naming a step registered with {@link
 * Coordinator#registerSagaStep}. Built in Java or read from JSON:
 *
 * <pre>{@code
 * {"timeout": "PT30S",
 *  "steps": [
 *    {"id": "debit", "action": "account.debit", "payload": {"cents": 500}},
 *    {"id": "ship", "action": "warehouse.ship", "payload": "sku-1", "recovery": "forward"}]}
 * }</pre>
 *
 * {@code id} defaults to {@code s1, s2, ...}; {@code recovery} is {@code backward} (default) or
 * {@code forward}; a non-string payload is passed on as its JSON text.
 */
public final class SagaDefinition {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> TOP_LEVEL = Set.of("timeout", "steps");
  private static final Set<String> STEP_FIELDS = Set.of("id", "action", "payload", "recovery");

  /** What happens when a step fails. */
  public enum Recovery {
    /** Compensate the completed steps in reverse order. */
    BACKWARD,
    /** Retry the step (with backoff) until it succeeds. */
    FORWARD
  }

  /** One step. */
  public record Step(BranchId id, String action, String payload, Recovery recovery) {
    public Step {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(recovery, "recovery");
      if (action == null || action.isBlank()) {
        throw new InvalidDefinitionException("saga step " + id + " names no action");
      }
    }
  }

  private final Duration timeout;
  private final List<Step> steps;

  private SagaDefinition(Duration timeout, List<Step> steps) {
    this.timeout = timeout;
    this.steps = List.copyOf(steps);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Null when the engine's default timeout applies. */
  public Duration timeout() {
    return timeout;
  }

  public List<Step> steps() {
    return steps;
  }

  List<Plan.Step> toSteps() {
    List<Plan.Step> plan = new ArrayList<>();
    for (Step s : steps) {
      plan.add(new Plan.Step(s.id(), s.action(), s.payload(), s.recovery() == Recovery.FORWARD));
    }
    return plan;
  }

  /**
   * Reads a definition.
   *
   * @throws InvalidDefinitionException saying what is wrong and where
   */
  public static SagaDefinition fromJson(String json) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new InvalidDefinitionException(
          "saga definition is not valid JSON: " + e.getOriginalMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new InvalidDefinitionException("saga definition must be a JSON object with \"steps\"");
    }
    rejectUnknown(root, TOP_LEVEL, "saga definition");
    Builder builder = builder();
    JsonNode timeout = root.get("timeout");
    if (timeout != null) {
      try {
        builder.timeout(Duration.parse(timeout.asText()));
      } catch (DateTimeParseException | InvalidInputException e) {
        throw new InvalidDefinitionException(
            "saga \"timeout\" must be a positive ISO-8601 duration such as \"PT30S\" but was "
                + timeout,
            e);
      }
    }
    JsonNode steps = root.get("steps");
    if (steps == null || !steps.isArray() || steps.isEmpty()) {
      throw new InvalidDefinitionException(
          "a saga needs at least one step: \"steps\" must be a non-empty array");
    }
    for (int i = 0; i < steps.size(); i++) {
      JsonNode step = steps.get(i);
      String where = "saga step #" + (i + 1);
      if (!step.isObject()) {
        throw new InvalidDefinitionException(where + " must be an object with an \"action\"");
      }
      rejectUnknown(step, STEP_FIELDS, where);
      JsonNode action = step.get("action");
      if (action == null || !action.isTextual()) {
        throw new InvalidDefinitionException(
            where + " needs \"action\": the name of a registered step");
      }
      JsonNode payload = step.get("payload");
      String payloadText =
          payload == null || payload.isNull()
              ? null
              : payload.isTextual() ? payload.asText() : payload.toString();
      Recovery recovery = Recovery.BACKWARD;
      JsonNode r = step.get("recovery");
      if (r != null) {
        recovery =
            switch (r.asText()) {
              case "backward" -> Recovery.BACKWARD;
              case "forward" -> Recovery.FORWARD;
              default ->
                  throw new InvalidDefinitionException(
                      where + " has \"recovery\": " + r + "; use \"backward\" or \"forward\"");
            };
      }
      JsonNode id = step.get("id");
      try {
        builder.add(
            id == null ? null : BranchId.of(id.asText()), action.asText(), payloadText, recovery);
      } catch (InvalidInputException e) {
        throw new InvalidDefinitionException(where + ": " + e.getMessage(), e);
      }
    }
    return builder.build();
  }

  private static void rejectUnknown(JsonNode node, Set<String> known, String where) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!known.contains(field)) {
        throw new InvalidDefinitionException(
            where + " has an unknown field \"" + field + "\"; known fields: " + known);
      }
    }
  }

  /** Collects steps in order. */
  public static final class Builder {
    private final List<Step> steps = new ArrayList<>();
    private Duration timeout;

    private Builder() {}

    public Builder timeout(Duration value) {
      if (value == null || value.isNegative() || value.isZero()) {
        throw new InvalidInputException("timeout must be a positive duration but was " + value);
      }
      this.timeout = value;
      return this;
    }

    public Builder step(String action, String payload) {
      return add(null, action, payload, Recovery.BACKWARD);
    }

    public Builder forwardStep(String action, String payload) {
      return add(null, action, payload, Recovery.FORWARD);
    }

    public Builder add(BranchId id, String action, String payload, Recovery recovery) {
      BranchId stepId = id == null ? BranchId.of("s" + (steps.size() + 1)) : id;
      steps.add(new Step(stepId, action, payload, recovery));
      return this;
    }

    /** An empty saga is accepted here and rejected when executed, with the same message. */
    public SagaDefinition build() {
      return new SagaDefinition(timeout, steps);
    }
  }
}
