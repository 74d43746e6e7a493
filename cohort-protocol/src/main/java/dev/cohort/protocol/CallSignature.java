package dev.cohort.protocol;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA256 signatures on coordinator-to-participant calls (see docs/protocol.md, "Participant
 * calls"). One instance holds a set of keys by id: it signs with {@code signingKeyId} and verifies
 * with any key it holds, so keys rotate by adding the new key everywhere, switching the signing id,
 * then removing the old key. Key bytes are never logged; {@link #toString()} shows only ids.
 */
public final class CallSignature {
  public static final String GID_HEADER = "Cohort-Gid";
  public static final String BRANCH_HEADER = "Cohort-Branch";
  public static final String OP_HEADER = "Cohort-Op";
  public static final String TIMESTAMP_HEADER = "Cohort-Timestamp";
  public static final String SIGNATURE_HEADER = "Cohort-Signature";
  public static final Duration DEFAULT_MAX_SKEW = Duration.ofMinutes(5);
  public static final int MIN_KEY_BYTES = 32;
  static final int REPLAY_CACHE_LIMIT = 100_000;

  private static final HexFormat HEX = HexFormat.of();

  private final Map<String, byte[]> keys;

  /**
   * One initialized HMAC per key, cloned for each use: {@code Mac.getInstance} + {@code init} per
   * call (a provider lookup and the key schedule) showed up in the server's profile at a few per
   * cent of its CPU. The prototypes are never updated, only cloned.
   */
  private final Map<String, Mac> macs;

  private final MessageDigest sha256;
  private final String signingKeyId;
  private final Duration maxSkew;
  private final Clock clock;
  private final Map<String, Long> seen = new LinkedHashMap<>();

  public CallSignature(
      Map<String, byte[]> keys, String signingKeyId, Duration maxSkew, Clock clock) {
    Objects.requireNonNull(keys, "keys");
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("keys is empty; give at least one key id -> secret");
    }
    Map<String, byte[]> copy = new HashMap<>();
    keys.forEach((id, key) -> {
      if (id == null || id.isEmpty() || !id.matches("[A-Za-z0-9_.-]+")) {
        throw new IllegalArgumentException(
            "key id '" + id + "' is invalid; use letters, digits, '_', '.', '-'");
      }
      if (key == null || key.length < MIN_KEY_BYTES) {
        throw new IllegalArgumentException(
            "key '"
                + id
                + "' has "
                + (key == null ? 0 : key.length)
                + " bytes; use at least "
                + MIN_KEY_BYTES
                + " random bytes");
      }
      copy.put(id, key.clone());
    });
    if (!copy.containsKey(signingKeyId)) {
      throw new IllegalArgumentException(
          "signing key id '" + signingKeyId + "' is not among the keys " + copy.keySet());
    }
    if (maxSkew == null || maxSkew.isNegative() || maxSkew.isZero()) {
      throw new IllegalArgumentException(
          "maxSkew " + maxSkew + " must be positive; the default is " + DEFAULT_MAX_SKEW);
    }
    this.keys = Map.copyOf(copy);
    Map<String, Mac> prototypes = new HashMap<>();
    this.keys.forEach((id, key) -> prototypes.put(id, newMac(key)));
    this.macs = Map.copyOf(prototypes);
    try {
      this.sha256 = MessageDigest.getInstance("SHA-256");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
    this.signingKeyId = signingKeyId;
    this.maxSkew = maxSkew;
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** The headers to send with a call: gid, branch, op, timestamp (epoch millis), signature. */
  public Map<String, String> sign(String gid, String branchId, String op, byte[] body) {
    String timestamp = Long.toString(clock.millis());
    String sig = hmac(signingKeyId, canonical(gid, branchId, op, timestamp, body));
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(GID_HEADER, gid);
    headers.put(BRANCH_HEADER, branchId);
    headers.put(OP_HEADER, op);
    headers.put(TIMESTAMP_HEADER, timestamp);
    headers.put(SIGNATURE_HEADER, "v1,kid=" + signingKeyId + ",sig=" + sig);
    return headers;
  }

  /**
   * Checks a received call. {@code header} looks a header up by name, case-insensitively, and
   * returns null when it is absent.
   *
   * @throws CallSignatureException with the reason the call is refused
   */
  public void verify(UnaryOperator<String> header, byte[] body) {
    String gid = header.apply(GID_HEADER);
    String branch = header.apply(BRANCH_HEADER);
    String op = header.apply(OP_HEADER);
    String timestamp = header.apply(TIMESTAMP_HEADER);
    String signature = header.apply(SIGNATURE_HEADER);
    if (gid == null || branch == null || op == null || timestamp == null || signature == null) {
      throw new CallSignatureException(
          CallSignatureException.Reason.UNSIGNED,
          "headers "
              + GID_HEADER
              + ", "
              + BRANCH_HEADER
              + ", "
              + OP_HEADER
              + ", "
              + TIMESTAMP_HEADER
              + " and "
              + SIGNATURE_HEADER
              + " are required");
    }
    checkSignature(signature, timestamp, canonical(gid, branch, op, timestamp, body), gid);
    long now = clock.millis();
    remember(gid + '\n' + branch + '\n' + op + '\n' + timestamp, now);
  }

  /**
   * Signs a request a participant sends to the coordinator, e.g. its outcome query {@code GET
   * /v1/transactions/{gid}/outcome} (docs/protocol.md, "Signed requests"): the headers {@code
   * Cohort-Timestamp} and {@code Cohort-Signature} over method, raw path, timestamp and body.
   *
   * @param rawPath the path exactly as sent in the request line, without the query
   */
  public Map<String, String> signRequest(String method, String rawPath, byte[] body) {
    String timestamp = Long.toString(clock.millis());
    String sig = hmac(signingKeyId, requestCanonical(method, rawPath, timestamp, body));
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(TIMESTAMP_HEADER, timestamp);
    headers.put(SIGNATURE_HEADER, "v1,kid=" + signingKeyId + ",sig=" + sig);
    return headers;
  }

  /**
   * Checks a request signed with {@link #signRequest}: known key, matching signature, timestamp in
   * the skew window, not a replay.
   *
   * @return the id of the key that signed it, which names the signer
   * @throws CallSignatureException with the reason the request is refused
   */
  public String verifyRequest(
      String method, String rawPath, UnaryOperator<String> header, byte[] body) {
    String timestamp = header.apply(TIMESTAMP_HEADER);
    String signature = header.apply(SIGNATURE_HEADER);
    if (timestamp == null || signature == null) {
      throw new CallSignatureException(
          CallSignatureException.Reason.UNSIGNED,
          "headers " + TIMESTAMP_HEADER + " and " + SIGNATURE_HEADER + " are required");
    }
    String kid =
        checkSignature(
            signature, timestamp, requestCanonical(method, rawPath, timestamp, body), null);
    remember("request\n" + kid + '\n' + method + ' ' + rawPath + '\n' + timestamp, clock.millis());
    return kid;
  }

  /**
   * Parses the timestamp and signature, checks the MAC of {@code canonical} and the skew window.
   *
   * @param gid named in messages; null for a request
   * @return the key id
   */
  private String checkSignature(String signature, String timestamp, byte[] canonical, String gid) {
    String context = gid == null ? "" : " [gid=" + gid + "]";
    long millis;
    try {
      millis = Long.parseLong(timestamp);
    } catch (NumberFormatException e) {
      throw new CallSignatureException(
          CallSignatureException.Reason.MALFORMED,
          TIMESTAMP_HEADER + " '" + timestamp + "' is not epoch milliseconds");
    }
    if (!signature.startsWith("v1,kid=") || !signature.contains(",sig=")) {
      throw new CallSignatureException(
          CallSignatureException.Reason.MALFORMED,
          SIGNATURE_HEADER + " must look like v1,kid=<key id>,sig=<64 hex digits>");
    }
    int sigAt = signature.indexOf(",sig=");
    String kid = signature.substring("v1,kid=".length(), sigAt);
    String given = signature.substring(sigAt + ",sig=".length());
    if (given.length() != 64 || !given.matches("[0-9a-f]+")) {
      throw new CallSignatureException(
          CallSignatureException.Reason.MALFORMED,
          SIGNATURE_HEADER + " sig must be 64 lowercase hex digits");
    }
    byte[] key = keys.get(kid);
    if (key == null) {
      throw new CallSignatureException(
          CallSignatureException.Reason.UNKNOWN_KEY,
          "key id '" + kid + "' is not configured here; known ids " + keys.keySet());
    }
    String expected = hmac(kid, canonical);
    if (!MessageDigest.isEqual(
        expected.getBytes(StandardCharsets.US_ASCII), given.getBytes(StandardCharsets.US_ASCII))) {
      throw new CallSignatureException(
          CallSignatureException.Reason.FORGED,
          (gid == null
                  ? "signature does not match method, path, timestamp and body"
                  : "signature does not match gid, branch, op, timestamp and body")
              + context);
    }
    long now = clock.millis();
    if (Math.abs(now - millis) > maxSkew.toMillis()) {
      throw new CallSignatureException(
          CallSignatureException.Reason.STALE,
          "timestamp "
              + millis
              + " is "
              + (now - millis)
              + " ms from now; allowed skew is "
              + maxSkew.toMillis()
              + " ms"
              + context);
    }
    return kid;
  }

  /**
   * Refuses an exact repeat of an accepted call while its timestamp could still pass the skew
   * check. Entries are kept in arrival order and dropped from the head once they arrived more than
   * two skew windows ago: by then their timestamp (at most one window ahead of arrival) is more
   * than one window in the past, so the skew check refuses a replay anyway. Each call costs O(1)
   * amortized, not a scan of the cache.
   */
  private synchronized void remember(String id, long now) {
    long keep = 2 * maxSkew.toMillis();
    for (var head = seen.entrySet().iterator(); head.hasNext(); ) {
      if (now - head.next().getValue() <= keep) {
        break;
      }
      head.remove();
    }
    if (seen.containsKey(id)) {
      throw new CallSignatureException(
          CallSignatureException.Reason.REPLAYED,
          "this exact call was already accepted within the skew window");
    }
    if (seen.size() >= REPLAY_CACHE_LIMIT) {
      seen.remove(seen.keySet().iterator().next());
    }
    seen.put(id, now);
  }

  /** The bytes of a signed request, as documented in docs/protocol.md ("Signed requests"). */
  private byte[] requestCanonical(String method, String rawPath, String timestamp, byte[] body) {
    String text =
        "v1-request\n"
            + method
            + '\n'
            + rawPath
            + '\n'
            + timestamp
            + '\n'
            + HEX.formatHex(sha256(body == null ? new byte[0] : body));
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** The exact bytes that are signed, as documented in docs/protocol.md. */
  private byte[] canonical(String gid, String branch, String op, String timestamp, byte[] body) {
    String text =
        "v1\n"
            + gid
            + '\n'
            + branch
            + '\n'
            + op
            + '\n'
            + timestamp
            + '\n'
            + HEX.formatHex(sha256(body == null ? new byte[0] : body));
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private byte[] sha256(byte[] bytes) {
    MessageDigest digest;
    try {
      digest = (MessageDigest) sha256.clone();
    } catch (CloneNotSupportedException e) {
      try {
        digest = MessageDigest.getInstance("SHA-256");
      } catch (GeneralSecurityException missing) {
        throw new IllegalStateException("SHA-256 is missing from this JDK", missing);
      }
    }
    return digest.digest(bytes);
  }

  private String hmac(String keyId, byte[] data) {
    Mac mac;
    try {
      mac = (Mac) macs.get(keyId).clone();
    } catch (CloneNotSupportedException e) {
      mac = newMac(keys.get(keyId)); // a provider whose HMAC cannot be cloned
    }
    return HEX.formatHex(mac.doFinal(data));
  }

  private static Mac newMac(byte[] key) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
    }
  }

  @Override
  public String toString() {
    return "CallSignature[keyIds="
        + keys.keySet()
        + ", signingKeyId="
        + signingKeyId
        + ", maxSkew="
        + maxSkew
        + ", keys=<redacted>]";
  }
}
