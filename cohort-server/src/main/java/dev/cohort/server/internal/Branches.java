package dev.cohort.server.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cohort.api.BranchId;
import dev.cohort.api.InvalidInputException;
import dev.cohort.api.Mode;
import dev.cohort.protocol.HttpTarget;
import java.net.URI;
import java.util.Set;

/** Reads the branch objects of docs/protocol.md ("Register a branch") into log payloads. */
public final class Branches {
  private static final Set<String> TCC_FIELDS =
      Set.of("branchId", "try", "confirm", "cancel", "payload");
  private static final Set<String> SAGA_FIELDS =
      Set.of("branchId", "action", "compensate", "payload", "recovery");

  private Branches() {}

  /** One branch to log: the participant "http" with the encoded target as payload. */
  public record Spec(BranchId id, HttpTarget target, boolean forward) {}

  /** Reads one branch of a transaction in {@code mode}; {@code fallbackId} when none is given. */
  public static Spec read(Body body, Mode mode, String fallbackId) {
    body.rejectUnknown(Mode.TCC.equals(mode) ? TCC_FIELDS : SAGA_FIELDS);
    String idText = body.text("branchId");
    BranchId id = Ids.branch(idText == null ? fallbackId : idText, body.where() + "branchId");
    JsonNode payload = body.raw("payload");
    String text = payload == null ? "null" : payload.toString();
    if (Mode.TCC.equals(mode)) {
      HttpTarget target =
          HttpTarget.tcc(url(body, "try"), url(body, "confirm"), url(body, "cancel"), text);
      return new Spec(id, target, false);
    }
    String recovery = body.text("recovery");
    boolean forward;
    if (recovery == null || recovery.equals("backward")) {
      forward = false;
    } else if (recovery.equals("forward")) {
      forward = true;
    } else {
      throw ApiException.badRequest(
          body.where() + "recovery",
          "field '"
              + body.where()
              + "recovery' must be one of: backward, forward (was \""
              + recovery
              + "\")");
    }
    return new Spec(
        id, HttpTarget.saga(url(body, "action"), url(body, "compensate"), text), forward);
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
