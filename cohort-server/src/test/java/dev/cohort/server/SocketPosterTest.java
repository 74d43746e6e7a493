package dev.cohort.server;

import dev.cohort.coordinator.http.HttpParticipant;
import dev.cohort.coordinator.http.HttpParticipantTest;
import dev.cohort.coordinator.http.HttpPoster;
import dev.cohort.server.internal.HelidonPoster;
import dev.cohort.server.internal.SocketPoster;

/** cohort-client's wire-level participant tests, with the server's plain-socket poster. */
class SocketPosterTest extends HttpParticipantTest {
  @Override
  protected HttpPoster poster() {
    return new SocketPoster(
        HttpParticipant.DEFAULT_CONNECT_TIMEOUT,
        new HelidonPoster(HttpParticipant.DEFAULT_CONNECT_TIMEOUT));
  }
}
