package dev.cohort.protocol.v1;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The answer to creating an open transaction.
 *
 * @param deadline when created without branches; null (left out) when opened with branches
 * @param branches how many branches an open-with-branches request registered, else null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Created(String gid, String mode, String status, String deadline, Integer branches) {}
