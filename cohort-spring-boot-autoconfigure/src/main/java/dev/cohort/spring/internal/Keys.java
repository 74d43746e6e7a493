package dev.cohort.spring.internal;

import dev.cohort.protocol.CallSignature;
import dev.cohort.spring.CohortProperties;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code cohort.participant.signing-keys} as a {@link CallSignature}. */
final class Keys {
  static final String BASE64_PREFIX = "base64:";

  private Keys() {}

  /** The configured keys, or null when none are set. */
  static CallSignature of(CohortProperties.Participant p) {
    Map<String, String> configured = p.getSigningKeys();
    if (configured == null || configured.isEmpty()) {
      return null;
    }
    Map<String, byte[]> keys = new LinkedHashMap<>();
    configured.forEach((id, secret) -> keys.put(id, bytes(id, secret)));
    String active = p.getActiveKey();
    if (active == null) {
      if (keys.size() > 1) {
        throw new IllegalArgumentException(
            "cohort.participant.signing-keys has "
                + keys.keySet()
                + "; set cohort.participant.active-key to the one the coordinator signs with now");
      }
      active = keys.keySet().iterator().next();
    }
    return new CallSignature(keys, active, p.getMaxSkew(), Clock.systemUTC());
  }

  private static byte[] bytes(String id, String secret) {
    if (secret == null) {
      throw new IllegalArgumentException("cohort.participant.signing-keys." + id + " is empty");
    }
    if (secret.startsWith(BASE64_PREFIX)) {
      try {
        return Base64.getDecoder().decode(secret.substring(BASE64_PREFIX.length()));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "cohort.participant.signing-keys." + id + " is not valid base64 after 'base64:'", e);
      }
    }
    return secret.getBytes(StandardCharsets.UTF_8);
  }
}
