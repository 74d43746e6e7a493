package dev.cohort.protocol.v1;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** The API's one JSON mapper: shared, thread-safe, configured once. */
public final class Codec {
  /**
   * Unknown fields in answers are ignored so that an older client reads a newer server's bodies;
   * trailing tokens are refused. Jackson's default read constraints cap nesting depth (1000), so a
   * deeply nested body is a parse error rather than a stack overflow.
   */
  public static final ObjectMapper JSON =
      JsonMapper.builder()
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .build();

  private Codec() {}
}
