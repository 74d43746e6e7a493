package dev.cohort.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

class TestServicesTest {

  @Test
  void environmentVariableWinsOverTheFile() {
    Properties file = new Properties();
    file.setProperty("COHORT_REDIS_URL", "redis://127.0.0.1:1");
    ServiceSettings settings =
        new ServiceSettings(
            Map.of("COHORT_REDIS_URL", "redis://127.0.0.1:2"), file, Optional.empty());

    assertThat(settings.get("COHORT_REDIS_URL")).contains("redis://127.0.0.1:2");
  }

  @Test
  void missingServiceFailsOnCiNamingTheServiceAndTheFix() {
    TestServices services = new TestServices(settings(Map.of("CI", "true"), new Properties()));

    assertThatThrownBy(services::redisUri)
        .isInstanceOf(ServiceUnavailableException.class)
        .hasMessageContaining("Redis is not configured")
        .hasMessageContaining("COHORT_REDIS_URL")
        .hasMessageContaining("scripts/services up");
  }

  @Test
  void missingServiceIsSkippedOutsideCi() {
    TestServices services = new TestServices(settings(Map.of(), new Properties()));

    assertThatThrownBy(services::amqpUri)
        .isInstanceOf(TestAbortedException.class)
        .hasMessageContaining("RabbitMQ is not configured");
  }

  @Test
  void configuredButStoppedServiceFailsEvenOutsideCi() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    Properties file = new Properties();
    file.setProperty("COHORT_REDIS_URL", "redis://127.0.0.1:" + closedPort);
    TestServices services = new TestServices(settings(Map.of(), file));

    assertThatThrownBy(services::redisUri)
        .isInstanceOf(ServiceUnavailableException.class)
        .hasMessageContaining("Redis at 127.0.0.1:" + closedPort + " does not answer")
        .hasMessageContaining("scripts/services up");
  }

  @Test
  void namespaceUrlsPointIntoTheNamespace() {
    assertThat(DatabaseKind.POSTGRES.urlFor("jdbc:postgresql://h:1/cohort", "t1"))
        .isEqualTo("jdbc:postgresql://h:1/cohort?currentSchema=t1");
    assertThat(DatabaseKind.POSTGRES.urlFor("jdbc:postgresql://h:1/cohort?ssl=false", "t1"))
        .isEqualTo("jdbc:postgresql://h:1/cohort?ssl=false&currentSchema=t1");
    assertThat(DatabaseKind.MARIADB.urlFor("jdbc:mariadb://h:1/cohort?x=y", "t2"))
        .isEqualTo("jdbc:mariadb://h:1/t2?x=y");
  }

  @Test
  void urlWithoutPortIsRejectedWithTheExpectedForm() {
    assertThatThrownBy(() -> TestServices.addressOf("jdbc:postgresql://h/db"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected e.g. jdbc:postgresql://host:port/db");
  }

  private static ServiceSettings settings(Map<String, String> env, Properties file) {
    return new ServiceSettings(env, file, Optional.of(Path.of("target/services.properties")));
  }
}
