package dev.cohort.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.cohort.server.CohortServer;
import dev.cohort.store.jdbc.JdbcTransactionStore;
import dev.cohort.testing.time.ManualScheduler;
import dev.cohort.testing.time.MutableClock;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * {@code --tokens-file} read again while the server runs (the wiring {@code cohort server} uses: a
 * {@link TokensFileReload} checked on a schedule, here a manual one): a rotated file takes effect
 * without a restart, and a broken one keeps the tokens in force with one clear error.
 */
class TokensFileReloadTest {
  private static final String OPERATOR = "operator-secret-0123456789abcdef";
  private static final String OLD = "old-reader-secret-0123456789abcdef";
  private static final String NEW = "new-reader-secret-0123456789abcdef";
  private static final Duration CHECK = Duration.ofSeconds(10);

  @TempDir Path dir;
  private Path file;
  private CohortServer server;
  private TokensFileReload reload;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T00:00:00Z"));
  private final ManualScheduler scheduler = new ManualScheduler(clock);
  private final HttpClient http = HttpClient.newHttpClient();
  private final ListAppender<ILoggingEvent> log = new ListAppender<>();
  private final Logger logger = (Logger) LoggerFactory.getLogger(TokensFileReload.class);

  @BeforeEach
  void start() throws IOException {
    log.start();
    logger.addAppender(log);
    file = dir.resolve("tokens");
    Files.writeString(file, "# role id secret\nreader dash-old " + OLD + "\n");
    CohortServer[] built = new CohortServer[1];
    reload = TokensFileReload.start(file, tokens -> built[0].reloadTokens(tokens));
    server =
        CohortServer.builder(JdbcTransactionStore.sqlite(dir.resolve("log.db")))
            .port(0)
            .token(OPERATOR)
            .reloadableTokens(reload.initial())
            .build()
            .start();
    built[0] = server;
    var unused = scheduler.scheduleRepeatedly(CHECK, reload::check);
  }

  @AfterEach
  void stop() {
    logger.detachAppender(log);
    scheduler.close();
    if (server != null) {
      server.close();
    }
  }

  @Test
  void aRotatedFileReplacesTheTokensAtTheNextCheckAndTheOldOneStopsWorking() throws Exception {
    assertThat(list(OLD)).isEqualTo(200);
    assertThat(list(NEW)).isEqualTo(403);

    replace("reader dash-new " + NEW + "\n");
    // Nothing changes before the check runs.
    assertThat(list(OLD)).isEqualTo(200);
    scheduler.advance(CHECK);

    assertThat(list(NEW)).isEqualTo(200);
    assertThat(list(OLD)).isEqualTo(403);
    // The builder's own token is not the file's: it stays.
    assertThat(list(OPERATOR)).isEqualTo(200);
    assertThat(reload.check()).isEqualTo(TokensFileReload.Result.UNCHANGED);
  }

  @Test
  void aBrokenFileKeepsTheTokensInForceAndLogsOneErrorNamingTheLine() throws Exception {
    replace("reader dash-new " + NEW + "\nreader only-two-fields\n");
    scheduler.advance(CHECK);

    assertThat(list(OLD)).isEqualTo(200);
    assertThat(list(NEW)).isEqualTo(403);
    List<ILoggingEvent> errors = errors();
    assertThat(errors).hasSize(1);
    assertThat(errors.getFirst().getFormattedMessage())
        .contains(file.toString())
        .contains("line 2")
        .contains("expected ROLE ID SECRET")
        .contains("tokens read before stay in force")
        .doesNotContain(NEW);

    // The same broken content at the next checks: still refused, not logged again.
    scheduler.advance(CHECK);
    assertThat(reload.check()).isEqualTo(TokensFileReload.Result.REFUSED);
    assertThat(errors()).hasSize(1);

    // Fixed: taken at the next check.
    replace("reader dash-new " + NEW + "\n");
    scheduler.advance(CHECK);
    assertThat(list(NEW)).isEqualTo(200);
    assertThat(list(OLD)).isEqualTo(403);
  }

  @Test
  void anEmptyFileOrOneReusingAnotherTokensSecretIsRefused() throws Exception {
    Files.write(file, new byte[0]);
    assertThat(reload.check()).isEqualTo(TokensFileReload.Result.REFUSED);
    assertThat(list(OLD)).isEqualTo(200);
    assertThat(errors().getLast().getFormattedMessage()).contains("is empty");

    replace("reader dash-new " + OPERATOR + "\n");
    assertThat(reload.check()).isEqualTo(TokensFileReload.Result.REFUSED);
    assertThat(list(OLD)).isEqualTo(200);
    assertThat(errors().getLast().getFormattedMessage()).contains("same secret as another");

    Files.delete(file);
    assertThat(reload.check()).isEqualTo(TokensFileReload.Result.REFUSED);
    assertThat(list(OLD)).isEqualTo(200);
    assertThat(errors().getLast().getFormattedMessage()).contains("cannot read");
  }

  private List<ILoggingEvent> errors() {
    return log.list.stream().filter(e -> e.getLevel() == Level.ERROR).toList();
  }

  /** Writes the new file beside and moves it over the old one, as docs/server.md advises. */
  private void replace(String content) throws IOException {
    Path next = dir.resolve("tokens.next");
    Files.writeString(next, content);
    Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** The status of GET /v1/transactions with {@code token}. */
  private int list(String token) throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/v1/transactions"))
            .header("Authorization", "Bearer " + token)
            .GET()
            .build();
    return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
  }
}
