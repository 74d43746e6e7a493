package dev.cohort.protocol.v1;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The body of every non-2xx answer (docs/protocol.md, "Errors").
 *
 * @param field the request field that was wrong (400), else null
 * @param gid the transaction of a 409, else null
 * @param status the transaction's current status code on a 409, else null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ErrorBody(String error, String message, String field, String gid, String status) {}
