package dev.cohort.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.cohort.api.BranchId;
import dev.cohort.api.Gid;
import dev.cohort.api.InvalidInputException;
import dev.cohort.api.ParticipantRefusedException;
import dev.cohort.participant.ParticipantCallHandler;
import dev.cohort.participant.ParticipantEndpoint;
import dev.cohort.participant.ParticipantEndpoint.Response;
import dev.cohort.protocol.CallSignature;
import dev.cohort.protocol.Operation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@link ParticipantEndpoint#handle} behind a {@link FaultInjector}, for the JDK's HTTP server.
 * Requests are copied (headers and body) before the script runs, because a held try is delivered
 * after its exchange has been answered.
 */
final class FaultyHttpHandler implements HttpHandler {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final FaultInjector faults;
  private final ParticipantCallHandler endpoint;
  private final CallSignature resigner;

  FaultyHttpHandler(FaultInjector faults, ParticipantCallHandler endpoint, CallSignature resigner) {
    this.faults = faults;
    this.endpoint = endpoint;
    this.resigner = resigner;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    if (!"POST".equals(exchange.getRequestMethod())) {
      try (exchange) {
        byte[] out =
            error(405, "method_not_allowed", "participant calls are POST requests")
                .body()
                .getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Allow", "POST");
        exchange.sendResponseHeaders(405, out.length);
        exchange.getResponseBody().write(out);
      }
      return;
    }
    try (exchange) {
      byte[] body = exchange.getRequestBody().readNBytes(ParticipantEndpoint.MAX_BODY_BYTES + 1);
      Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, first(values)));
      Response response = answer(headers, body);
      byte[] out = response.body().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", ParticipantEndpoint.CONTENT_TYPE);
      exchange.sendResponseHeaders(response.status(), out.length);
      exchange.getResponseBody().write(out);
    }
  }

  private static String first(List<String> values) {
    return values == null || values.isEmpty() ? null : values.getFirst();
  }

  private Response answer(Map<String, String> headers, byte[] body) {
    Operation op;
    Gid gid;
    BranchId branch;
    try {
      op = Operation.fromCode(headers.get(CallSignature.OP_HEADER));
      gid = Gid.of(headers.get(CallSignature.GID_HEADER));
      branch = BranchId.of(headers.get(CallSignature.BRANCH_HEADER));
    } catch (IllegalArgumentException | InvalidInputException e) {
      // Not a call the script can name: the endpoint answers it (400) as it would without us.
      return endpoint.handle(headers::get, body);
    }
    try {
      return faults.call(op, gid, branch, new HttpChannel(op, gid, branch, headers, body));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return error(500, "internal", op.code() + " was interrupted in the fault injector");
    } catch (Exception e) {
      return error(500, "internal", op.code() + " failed in the fault injector: " + e);
    }
  }

  private final class HttpChannel implements FaultInjector.Channel<Response> {
    private final Operation op;
    private final Gid gid;
    private final BranchId branch;
    private final Map<String, String> headers;
    private final byte[] body;

    HttpChannel(Operation op, Gid gid, BranchId branch, Map<String, String> headers, byte[] body) {
      this.op = op;
      this.gid = gid;
      this.branch = branch;
      this.headers = headers;
      this.body = body;
    }

    @Override
    public Response deliver() {
      return endpoint.handle(headers::get, body);
    }

    @Override
    public Response deliverAgain() {
      if (resigner == null) {
        return deliver();
      }
      Map<String, String> fresh = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      fresh.putAll(headers);
      fresh.putAll(resigner.sign(gid.value(), branch.value(), op.code(), body));
      return endpoint.handle(fresh::get, body);
    }

    @Override
    public CallOutcome outcomeOf(Response answer) {
      return switch (answer.status()) {
        case 200 -> CallOutcome.SUCCEEDED;
        case 409 -> CallOutcome.REFUSED;
        default -> CallOutcome.FAILED;
      };
    }

    @Override
    public Response fail(InjectedFailureException failure) {
      return error(500, "internal", failure.getMessage());
    }

    @Override
    public Response refuse(ParticipantRefusedException refusal) {
      return error(409, "refused", refusal.getMessage());
    }
  }

  private static Response error(int status, String error, String message) {
    ObjectNode node = JSON.createObjectNode();
    node.put("error", error);
    node.put("message", message);
    return new Response(status, node.toString());
  }
}
