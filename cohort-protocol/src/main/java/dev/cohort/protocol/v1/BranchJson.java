package dev.cohort.protocol.v1;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cohort.api.BranchId;
import dev.cohort.api.InvalidInputException;
import dev.cohort.protocol.HttpTarget;

/**
 * The one writer of an HTTP branch's JSON ({@code branchId}, one URL field per operation of its
 * shape named by the operation's code, {@code recovery} where the shape has one, {@code payload})
 * in a request (the SDK, the bench). A transaction's view shows branches as {@link BranchDetail}.
 */
public final class BranchJson {
  private BranchJson() {}

  /** A branch as a request registers it. */
  public static ObjectNode request(BranchId id, HttpTarget target, boolean forward) {
    ObjectNode node = Codec.JSON.createObjectNode().put("branchId", id.value());
    writeTarget(node, target, forward);
    return node;
  }

  /** Adds {@code target}'s URLs, recovery and payload to {@code node}. */
  public static ObjectNode writeTarget(ObjectNode node, HttpTarget target, boolean forward) {
    target.urls().forEach((op, url) -> node.put(op.code(), url.toString()));
    if (target.shape().hasRecovery()) {
      node.put("recovery", forward ? "forward" : "backward");
    }
    node.set("payload", payload(target.body()));
    return node;
  }

  /** The payload text as JSON; text that is not JSON is refused. */
  static JsonNode payload(String text) {
    try {
      return Codec.JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new InvalidInputException(
          "a branch payload must be JSON text: " + e.getOriginalMessage());
    }
  }
}
