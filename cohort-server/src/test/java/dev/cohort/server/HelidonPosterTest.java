package dev.cohort.server;

import dev.cohort.coordinator.http.HttpParticipant;
import dev.cohort.coordinator.http.HttpParticipantTest;
import dev.cohort.coordinator.http.HttpPoster;
import dev.cohort.server.internal.HelidonPoster;

/** cohort-client's wire-level participant tests, with the server's Helidon poster. */
class HelidonPosterTest extends HttpParticipantTest {
  @Override
  protected HttpPoster poster() {
    return new HelidonPoster(HttpParticipant.DEFAULT_CONNECT_TIMEOUT);
  }
}
