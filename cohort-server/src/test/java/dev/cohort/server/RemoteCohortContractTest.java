package dev.cohort.server;

import dev.cohort.client.Cohort;
import dev.cohort.client.CohortContract;
import dev.cohort.coordinator.http.HttpParticipant;
import dev.cohort.participant.Keys;
import dev.cohort.protocol.CallSignature;
import dev.cohort.store.jdbc.JdbcTransactionStore;
import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SDK's contract over {@code Cohort.connect}: the same scenarios the embedded transport passes,
 * against a real server on an SQLite log, so both transports are held to one promise.
 */
class RemoteCohortContractTest extends CohortContract {
  private static final String TOKEN = "remote-contract-token-0123";

  @TempDir Path logDir;

  private CohortServer server;
  private Cohort cohort;

  @BeforeEach
  void startServer() {
    server =
        CohortServer.builder(JdbcTransactionStore.sqlite(logDir.resolve("log.db")))
            .port(0)
            .token(TOKEN)
            .httpParticipant(HttpParticipant.builder().signer(Keys.signature()).build())
            .build()
            .start();
    cohort = Cohort.connect(URI.create("http://127.0.0.1:" + server.port()), TOKEN);
  }

  @AfterEach
  void stopServer() {
    cohort.close();
    server.close();
  }

  @Override
  protected Cohort cohort() {
    return cohort;
  }

  @Override
  protected CallSignature participantVerifier() {
    return Keys.signature();
  }
}
