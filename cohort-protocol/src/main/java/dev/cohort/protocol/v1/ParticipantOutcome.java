package dev.cohort.protocol.v1;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * {@code GET /v1/transactions/{gid}/outcome}: what a participant asks about its transaction.
 *
 * @param decision {@code commit}, {@code rollback}, or null (written as JSON null) when none is
 *     decided or a resolved transaction was settled by hand
 * @param terminal the JSON field {@code final}: whether the status is terminal
 */
public record ParticipantOutcome(
    String gid, String status, String decision, @JsonProperty("final") boolean terminal) {}
