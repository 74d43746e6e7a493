package dev.cohort.server;

import dev.cohort.protocol.CallSignature;
import java.net.URI;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * A participant's own key, with which it signs its outcome queries (docs/protocol.md, "Signed
 * requests"), and the hosts it speaks for: a signed query of a gid is answered only when a branch
 * of that transaction has a URL on one of these hosts. Distinct from the key the coordinator signs
 * its calls with, which every participant holds and which therefore names nobody.
 */
public final class ParticipantKey {
  private final String keyId;
  private final byte[] key;
  private final Set<String> hosts;

  /**
   * @param keyId the {@code kid} the participant signs with; {@code [A-Za-z0-9_.-]}
   * @param key at least {@value CallSignature#MIN_KEY_BYTES} random bytes
   * @param hosts each a host name (any port) or host:port, as the branches' URLs name them
   */
  public ParticipantKey(String keyId, byte[] key, Set<String> hosts) {
    if (keyId == null || !keyId.matches("[A-Za-z0-9_.-]+")) {
      throw new IllegalArgumentException(
          "participant key id '" + keyId + "' is invalid; use letters, digits, '_', '.', '-'");
    }
    if (key == null || key.length < CallSignature.MIN_KEY_BYTES) {
      throw new IllegalArgumentException(
          "participant key '"
              + keyId
              + "' has "
              + (key == null ? 0 : key.length)
              + " bytes; use at least "
              + CallSignature.MIN_KEY_BYTES
              + " random bytes");
    }
    if (hosts == null || hosts.isEmpty()) {
      throw new IllegalArgumentException(
          "participant key '"
              + keyId
              + "' names no host; give the host (or host:port) of its branch URLs, e.g."
              + " stock.internal:8081");
    }
    Set<String> normalized = new LinkedHashSet<>();
    for (String h : hosts) {
      normalized.add(normalize(keyId, h));
    }
    this.keyId = keyId;
    this.key = key.clone();
    this.hosts = Set.copyOf(normalized);
  }

  public String keyId() {
    return keyId;
  }

  public byte[] key() {
    return key.clone();
  }

  /** The normalized entries: lower-case host, or host:port. */
  public Set<String> hosts() {
    return hosts;
  }

  /** Whether {@code url} (a branch's participant URL) is on one of this key's hosts. */
  public boolean covers(URI url) {
    if (url == null || url.getHost() == null) {
      return false;
    }
    String host = url.getHost().toLowerCase(Locale.ROOT);
    int port = url.getPort() >= 0 ? url.getPort() : "https".equals(url.getScheme()) ? 443 : 80;
    return hosts.contains(host) || hosts.contains(host + ":" + port);
  }

  private static String normalize(String keyId, String entry) {
    URI parsed;
    try {
      parsed = URI.create("http://" + (entry == null ? "" : entry.strip()));
    } catch (IllegalArgumentException e) {
      parsed = null;
    }
    if (parsed == null
        || parsed.getHost() == null
        || parsed.getRawPath() == null
        || !parsed.getRawPath().isEmpty()
        || parsed.getRawUserInfo() != null) {
      throw new IllegalArgumentException(
          "participant key '"
              + keyId
              + "': host '"
              + entry
              + "' is not a host or host:port (e.g. stock.internal or 10.0.0.7:8081)");
    }
    String host = parsed.getHost().toLowerCase(Locale.ROOT);
    return parsed.getPort() >= 0 ? host + ":" + parsed.getPort() : host;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ParticipantKey k
        && keyId.equals(k.keyId)
        && Arrays.equals(key, k.key)
        && hosts.equals(k.hosts);
  }

  @Override
  public int hashCode() {
    return Objects.hash(keyId, hosts);
  }

  @Override
  public String toString() {
    return "ParticipantKey[keyId=" + keyId + ", hosts=" + hosts + ", key=<redacted>]";
  }
}
