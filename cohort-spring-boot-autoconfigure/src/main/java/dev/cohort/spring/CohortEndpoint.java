package dev.cohort.spring;

/**
 * A participant this service serves over HTTP: declare a {@link TccEndpoint} or {@link
 * SagaEndpoint} bean and the starter mounts it at {@code cohort.participant.path}/{@link #name()}.
 */
public sealed interface CohortEndpoint permits TccEndpoint, SagaEndpoint {
  /** The last path segment; letters, digits, '-', '_' and '.'. */
  String name();

  /** What the JSON payload is decoded to; {@code String.class} passes the JSON text as it is. */
  Class<?> payloadType();

  /** Checks a name as a path segment, naming the bad value. */
  static String checkName(String name) {
    if (name == null || !name.matches("[A-Za-z0-9._-]{1,64}")) {
      throw new IllegalArgumentException(
          "endpoint name '"
              + name
              + "' must be 1 to 64 letters, digits, '.', '_' or '-': it becomes a URL path"
              + " segment");
    }
    return name;
  }
}
