package dev.cohort.spring.internal;

import dev.cohort.participant.ParticipantEndpoint;
import dev.cohort.protocol.CallSignature;
import dev.cohort.protocol.Operation;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * Serves the participant endpoints over Spring MVC: {@code POST <path>/<name>} and {@code POST
 * <path>/<name>/<op>} both reach the endpoint, which takes the operation from the signed {@code
 * Cohort-Op} header. The body is passed byte for byte, since the signature covers it.
 */
final class ParticipantRoutes {
  private final Map<String, ParticipantEndpoint> endpoints;
  private final ParticipantMetrics metrics;

  ParticipantRoutes(Map<String, ParticipantEndpoint> endpoints, ParticipantMetrics metrics) {
    this.endpoints = Map.copyOf(endpoints);
    this.metrics = metrics;
  }

  RouterFunction<ServerResponse> routes(String path) {
    String base = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    return RouterFunctions.route()
        .POST(base + "/{name}", this::serve)
        .POST(base + "/{name}/{op}", this::serve)
        .build();
  }

  private ServerResponse serve(ServerRequest request) throws IOException {
    long start = System.nanoTime();
    String name = request.pathVariable("name");
    ParticipantEndpoint endpoint = endpoints.get(name);
    if (endpoint == null) {
      return json(
          404,
          "{\"error\":\"not_found\",\"message\":\"no participant endpoint here is named "
              + quoted(name)
              + "\"}");
    }
    byte[] body;
    try (InputStream in = request.servletRequest().getInputStream()) {
      body = in.readNBytes(ParticipantEndpoint.MAX_BODY_BYTES + 1);
    }
    ParticipantEndpoint.Response response;
    if (body.length > ParticipantEndpoint.MAX_BODY_BYTES) {
      response =
          new ParticipantEndpoint.Response(
              413,
              "{\"error\":\"payload_too_large\",\"message\":\"the body is over "
                  + ParticipantEndpoint.MAX_BODY_BYTES
                  + " bytes\"}");
    } else {
      response = endpoint.handle(h -> request.headers().firstHeader(h), body);
    }
    metrics.record(name, opTag(request), response.status(), System.nanoTime() - start);
    return json(response.status(), response.body());
  }

  private static ServerResponse json(int status, String body) {
    return ServerResponse.status(status).contentType(MediaType.APPLICATION_JSON).body(body);
  }

  /** The operation as a metric tag: one of the known codes, so a caller cannot add tags. */
  private static String opTag(ServerRequest request) {
    String op = request.headers().firstHeader(CallSignature.OP_HEADER);
    for (Operation known : Operation.values()) {
      if (known.code().equals(op)) {
        return op;
      }
    }
    return "other";
  }

  private static String quoted(String name) {
    String clean = name.replaceAll("[^A-Za-z0-9._-]", "?");
    return "'" + (clean.length() > 64 ? clean.substring(0, 64) : clean) + "'";
  }
}
