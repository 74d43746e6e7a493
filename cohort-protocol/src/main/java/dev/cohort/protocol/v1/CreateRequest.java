package dev.cohort.protocol.v1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * {@code POST /v1/transactions}: create, open with branches, one shot, or empty commit.
 *
 * @param branches written by {@link BranchJson}; null for none
 * @param presumedAbort one-shot TCC only: nothing is logged before the tries (docs/protocol.md)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CreateRequest(
    String mode,
    String gid,
    Long timeoutMs,
    Boolean parallel,
    Boolean presumedAbort,
    List<ObjectNode> branches,
    Boolean submit) {

  /** A request without {@code presumedAbort}. */
  public CreateRequest(
      String mode,
      String gid,
      Long timeoutMs,
      Boolean parallel,
      List<ObjectNode> branches,
      Boolean submit) {
    this(mode, gid, timeoutMs, parallel, null, branches, submit);
  }
}
