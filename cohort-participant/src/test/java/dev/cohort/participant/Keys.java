package dev.cohort.participant;

import dev.cohort.protocol.CallSignature;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;

/** Test signing keys. A signer and a verifier are separate instances, as in production. */
public final class Keys {
  private static final byte[] KEY =
      "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  private Keys() {}

  public static CallSignature signature(Clock clock) {
    return new CallSignature(Map.of("k1", KEY), "k1", CallSignature.DEFAULT_MAX_SKEW, clock);
  }

  public static CallSignature signature() {
    return signature(Clock.systemUTC());
  }
}
