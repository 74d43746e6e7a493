package dev.cohort.testsupport;

import java.util.List;

/** The services {@code scripts/services} provides, with the settings each one needs. */
public enum Service {
  POSTGRES(
      "PostgreSQL (primary + streaming replica)",
      List.of("COHORT_PG_PRIMARY_URL", "COHORT_PG_REPLICA_URL", "COHORT_PG_USER")),
  MARIADB(
      "MariaDB (primary + GTID replica)",
      List.of("COHORT_MARIADB_PRIMARY_URL", "COHORT_MARIADB_REPLICA_URL", "COHORT_MARIADB_USER")),
  REDIS("Redis", List.of("COHORT_REDIS_URL")),
  RABBITMQ("RabbitMQ", List.of("COHORT_AMQP_URL")),
  /** A private RabbitMQ node that tests may restart (never one shared with anyone else). */
  RABBITMQ_RESTARTABLE(
      "RabbitMQ (restartable private node)",
      List.of("COHORT_AMQP_RESTARTABLE_URL", "COHORT_AMQP_RESTART_COMMAND")),
  /** A private NATS server with JetStream that tests may restart (never one shared). */
  NATS("NATS with JetStream (private)", List.of("COHORT_NATS_URL", "COHORT_NATS_RESTART_COMMAND")),
  CHROMIUM(
      "Headless Chromium with chromedriver", List.of("COHORT_CHROMIUM", "COHORT_CHROMEDRIVER"));

  private final String displayName;
  private final List<String> requiredKeys;

  Service(String displayName, List<String> requiredKeys) {
    this.displayName = displayName;
    this.requiredKeys = requiredKeys;
  }

  public String displayName() {
    return displayName;
  }

  public List<String> requiredKeys() {
    return requiredKeys;
  }
}
