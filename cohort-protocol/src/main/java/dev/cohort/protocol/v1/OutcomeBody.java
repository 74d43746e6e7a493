package dev.cohort.protocol.v1;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.cohort.api.Outcome;

/** What commit, abort, retry, resolve and a one-shot create answer. */
public record OutcomeBody(
    String gid, String status, @JsonInclude(JsonInclude.Include.ALWAYS) String reason) {
  public static OutcomeBody of(Outcome outcome) {
    return new OutcomeBody(outcome.gid().value(), outcome.status().code(), outcome.reason());
  }
}
