package dev.cohort.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cohort.replica.ConsistencyToken;
import dev.cohort.replica.RoutingDataSource;
import dev.cohort.testsupport.DatabasePair;
import dev.cohort.testsupport.TestServices;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Two Spring Boot services on a real PostgreSQL primary and streaming replica. Replication is
 * paused, so the replica is certainly behind: whatever B reads from it is the old value.
 */
class ConsistencyAcrossServicesIT {
  private static TestServices services;
  private static DatabasePair db;
  private static ConfigurableApplicationContext a;
  private static ConfigurableApplicationContext b;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws SQLException {
    services = TestServices.load();
    db = services.postgres().isolated("starter_rw");
    execute(db.primary(), "CREATE TABLE profile (id BIGINT PRIMARY KEY, name TEXT NOT NULL)");
    execute(db.primary(), "INSERT INTO profile VALUES (1, 'Old'), (2, 'Old')");
    db.awaitReplicaCaughtUp(Duration.ofSeconds(10));
    Map<String, Object> shared = new HashMap<>();
    shared.put("spring.datasource.url", db.primaryUrl());
    shared.put("spring.datasource.username", db.user());
    shared.put("spring.datasource.password", db.password());
    shared.put("cohort.replica.urls", db.replicaUrl());
    shared.put("cohort.replica.source-id", "profiles");
    shared.put("cohort.replica.max-wait", "100ms");
    shared.put("cohort.embedded.enabled", "false");
    b = Apps.start(ProfileServices.B.class, shared);
    Map<String, Object> forA = new HashMap<>(shared);
    forA.put("peer.url", Apps.url(b, ""));
    a = Apps.start(ProfileServices.A.class, forA);
  }

  @AfterEach
  void resume() throws SQLException {
    execute(db.replica(), "SELECT pg_wal_replay_resume()");
  }

  @AfterAll
  static void stop() {
    if (a != null) {
      a.close();
    }
    if (b != null) {
      b.close();
    }
    if (db != null) {
      db.close();
    }
    if (services != null) {
      services.close();
    }
  }

  @Test
  void aTokenWrittenInServiceAIsHonouredByAReplicaReadInServiceB() throws Exception {
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> replicaInRotation(b));
    pauseReplication();

    HttpResponse<String> renamed = post(Apps.url(a, "/profiles/1?name=New"), Map.of());

    assertThat(renamed.statusCode()).isEqualTo(200);
    assertThat(renamed.body()).isEqualTo("New");
    // The control: the same read in B without A's token goes to the lagging replica.
    assertThat(get(Apps.url(b, "/profiles/1"), Map.of()).body()).isEqualTo("Old");
  }

  @Test
  void readPrimaryRoutesToThePrimary() throws Exception {
    pauseReplication();
    execute(db.primary(), "UPDATE profile SET name = 'Fresh' WHERE id = 2");
    ProfileServices.ProfileReader reader = b.getBean(ProfileServices.ProfileReader.class);

    assertThat(reader.read(2)).isEqualTo("Old");
    assertThat(reader.readPrimary(2)).isEqualTo("Fresh");
  }

  @Test
  void aMalformedTokenIsRefusedWith400AndTheReason() throws Exception {
    HttpResponse<String> r =
        get(Apps.url(b, "/profiles/1"), Map.of(ConsistencyToken.HEADER, "v9;nonsense"));

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("does not start with 'c1'").contains("v9;nonsense");
  }

  private static boolean replicaInRotation(ConfigurableApplicationContext context) {
    return context.getBean(RoutingDataSource.class).status().stream()
        .anyMatch(s -> !s.primary() && s.inRotation());
  }

  private static void pauseReplication() throws SQLException {
    execute(db.replica(), "SELECT pg_wal_replay_pause()");
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> "paused".equals(query(db.replica(), "SELECT pg_get_wal_replay_pause_state()")));
  }

  private static HttpResponse<String> post(String url, Map<String, String> headers)
      throws Exception {
    HttpRequest.Builder r =
        HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.noBody());
    headers.forEach(r::header);
    return HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> get(String url, Map<String, String> headers)
      throws Exception {
    HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(url)).GET();
    headers.forEach(r::header);
    return HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
  }

  static void execute(DataSource ds, String sql) throws SQLException {
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  static String query(DataSource ds, String sql) throws SQLException {
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }
}
