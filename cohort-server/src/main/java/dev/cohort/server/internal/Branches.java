package dev.cohort.server.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cohort.api.BranchId;
import dev.cohort.api.InvalidInputException;
import dev.cohort.protocol.BranchShape;
import dev.cohort.protocol.HttpTarget;
import dev.cohort.protocol.ModeContract;
import dev.cohort.protocol.Operation;
import java.net.URI;
import java.util.EnumMap;
import java.util.Map;

/** Reads the branch objects of docs/protocol.md ("Register a branch") into log payloads. */
public final class Branches {
  private Branches() {}

  /** One branch to log: the participant "http" with the encoded target as payload. */
  public record Spec(BranchId id, HttpTarget target, boolean forward) {}

  /**
   * Reads one branch of a transaction of {@code contract}'s mode, in that mode's HTTP shape; {@code
   * fallbackId} when none is given.
   */
  public static Spec read(Body body, ModeContract contract, String fallbackId) {
    BranchShape shape;
    try {
      shape = contract.requireHttpShape();
    } catch (InvalidInputException e) {
      throw ApiException.badRequest(null, e.getMessage());
    }
    body.rejectUnknown(shape.requestFields());
    String idText = body.text("branchId");
    BranchId id = Ids.branch(idText == null ? fallbackId : idText, body.where() + "branchId");
    JsonNode payload = body.raw("payload");
    String text = payload == null ? "null" : payload.toString();
    Map<Operation, URI> urls = new EnumMap<>(Operation.class);
    for (Operation op : shape.operations()) {
      if (!shape.oneOperation() || body.text(op.code()) != null) {
        urls.put(op, url(body, op.code()));
      }
    }
    if (shape.oneOperation() && urls.size() != 1) {
      String codes = String.join(", ", shape.operations().stream().map(Operation::code).toList());
      throw ApiException.badRequest(
          body.where() + shape.operations().get(0).code(),
          "a "
              + shape.mode().code()
              + " branch has exactly one of the fields "
              + codes
              + " (an absolute http(s) URL); it has "
              + urls.size());
    }
    boolean forward = shape.hasRecovery() && forward(body);
    return new Spec(id, new HttpTarget(shape, urls, text), forward);
  }

  private static boolean forward(Body body) {
    String recovery = body.text("recovery");
    if (recovery == null || recovery.equals("backward")) {
      return false;
    }
    if (recovery.equals("forward")) {
      return true;
    }
    throw ApiException.badRequest(
        body.where() + "recovery",
        "field '"
            + body.where()
            + "recovery' must be one of: backward, forward (was \""
            + recovery
            + "\")");
  }

  private static URI url(Body body, String field) {
    String name = body.where() + field;
    String value = body.text(field);
    if (value == null) {
      throw ApiException.badRequest(
          name, "field '" + name + "' is required: an absolute http(s) URL");
    }
    try {
      return HttpTarget.parseUrl(name, value);
    } catch (InvalidInputException e) {
      throw ApiException.badRequest(name, e.getMessage());
    }
  }
}
