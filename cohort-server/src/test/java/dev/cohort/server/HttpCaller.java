package dev.cohort.server;

import dev.cohort.api.BranchContext;
import dev.cohort.api.ParticipantRefusedException;
import dev.cohort.client.http.HttpTarget;
import dev.cohort.coordinator.SagaStep;
import dev.cohort.coordinator.TccParticipant;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A test stand-in for the SDK's HTTP participant: POSTs the branch body to the URL of each
 * operation, 2xx is success, 409 a refusal, anything else a transient failure. Unsigned.
 */
final class HttpCaller implements TccParticipant, SagaStep {
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final ServerMetrics metrics;

  HttpCaller(ServerMetrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public void tryReserve(BranchContext context) throws Exception {
    call("try", context);
  }

  @Override
  public void confirm(BranchContext context) throws Exception {
    call("confirm", context);
  }

  @Override
  public void cancel(BranchContext context) throws Exception {
    call("cancel", context);
  }

  @Override
  public void action(BranchContext context) throws Exception {
    call("action", context);
  }

  @Override
  public void compensate(BranchContext context) throws Exception {
    call("compensate", context);
  }

  private void call(String op, BranchContext context) throws Exception {
    HttpTarget target = HttpTarget.decode(context.payload());
    URI url = target.url(op);
    long started = System.nanoTime();
    HttpRequest request =
        HttpRequest.newBuilder(url)
            .timeout(Duration.ofSeconds(5))
            .header("Content-Type", "application/json")
            .header("Cohort-Gid", context.gid().value())
            .header("Cohort-Branch", context.branchId().value())
            .header("Cohort-Op", op)
            .POST(HttpRequest.BodyPublishers.ofString(target.body()))
            .build();
    int status = 0;
    try {
      HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
      status = response.statusCode();
      if (status == 409) {
        throw new ParticipantRefusedException(op + " refused: " + response.body());
      }
      if (status < 200 || status >= 300) {
        throw new IOException(op + " answered " + status + ": " + response.body());
      }
    } finally {
      if (metrics != null) {
        metrics.onBranchCall(op, url, status, Duration.ofNanos(System.nanoTime() - started));
      }
    }
  }
}
