package dev.cohort.messaging.nats;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.Nats;
import java.net.URI;

/** A connection of the test's own, to look at or delete what a broker left on the server. */
final class NatsAdmin {
  private NatsAdmin() {}

  interface Call<T> {
    T apply(Connection c) throws Exception;
  }

  static <T> T with(URI url, Call<T> call) throws Exception {
    Connection c = Nats.connect(url.toString());
    try {
      return call.apply(c);
    } finally {
      c.close();
    }
  }

  static void deleteStream(URI url, String stream) throws Exception {
    with(
        url,
        c -> {
          try {
            return c.jetStreamManagement().deleteStream(stream);
          } catch (JetStreamApiException e) {
            return false; // never created
          }
        });
  }
}
