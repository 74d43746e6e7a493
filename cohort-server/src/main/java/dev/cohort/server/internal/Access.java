package dev.cohort.server.internal;

import dev.cohort.coordinator.spi.BranchRecord;
import dev.cohort.protocol.CallSignature;
import dev.cohort.protocol.CallSignatureException;
import dev.cohort.protocol.HttpTarget;
import dev.cohort.protocol.Operation;
import dev.cohort.protocol.v1.Role;
import dev.cohort.server.AccessToken;
import dev.cohort.server.ParticipantKey;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Who a request comes from: a bearer token (its id and role), or a participant that signed its
 * request with its own key. Shared by the API's router and the console's login, so both accept the
 * same tokens with the same roles.
 */
public final class Access {
  /** A token holder: the token's id (never its secret) and its role. */
  public record Principal(String tokenId, Role role) {}

  private static final class Known {
    private final byte[] digest;
    private final Principal principal;

    Known(byte[] digest, Principal principal) {
      this.digest = digest;
      this.principal = principal;
    }
  }

  private final List<Known> fixed;
  // Replaced as a whole by reload(): a request sees either the old set or the new one, never a mix.
  private volatile List<Known> tokens;
  private final Map<String, ParticipantKey> participants;
  private final CallSignature participantSignatures;

  public Access(List<AccessToken> tokens, List<ParticipantKey> participantKeys, Clock clock) {
    this(tokens, List.of(), participantKeys, clock);
  }

  /**
   * {@code fixed} tokens stay for the server's life; {@code reloadable} ones are replaced by {@link
   * #reload}.
   */
  public Access(
      List<AccessToken> fixed,
      List<AccessToken> reloadable,
      List<ParticipantKey> participantKeys,
      Clock clock) {
    this.fixed = known(fixed);
    this.tokens = concat(this.fixed, known(reloadable));
    Map<String, ParticipantKey> byId = new LinkedHashMap<>();
    Map<String, byte[]> keys = new HashMap<>();
    for (ParticipantKey k : participantKeys) {
      byId.put(k.keyId(), k);
      keys.put(k.keyId(), k.key());
    }
    this.participants = Map.copyOf(byId);
    this.participantSignatures =
        keys.isEmpty()
            ? null
            : new CallSignature(
                keys, byId.keySet().iterator().next(), CallSignature.DEFAULT_MAX_SKEW, clock);
  }

  /** Replaces the reloadable tokens (the caller checked that ids and secrets are distinct). */
  public void reload(List<AccessToken> reloadable) {
    this.tokens = concat(fixed, known(reloadable));
  }

  private static List<Known> known(List<AccessToken> tokens) {
    return tokens.stream()
        .map(t -> new Known(sha256(t.secret()), new Principal(t.id(), t.role())))
        .toList();
  }

  private static List<Known> concat(List<Known> a, List<Known> b) {
    List<Known> all = new ArrayList<>(a);
    all.addAll(b);
    return List.copyOf(all);
  }

  /**
   * The holder of {@code secret}, empty when no token has it. Every token's digest is compared, in
   * constant time each, so the time does not reveal which token (or which characters) matched.
   */
  public Optional<Principal> token(String secret) {
    if (secret == null) {
      return Optional.empty();
    }
    byte[] given = sha256(secret);
    Principal found = null;
    for (Known k : tokens) {
      if (MessageDigest.isEqual(given, k.digest) && found == null) {
        found = k.principal;
      }
    }
    return Optional.ofNullable(found);
  }

  /**
   * Whether a token with this id and role is still one of the server's: false once a reload removed
   * it or gave its id another role. A console session opened with it ends then.
   */
  public boolean holds(Principal principal) {
    for (Known k : tokens) {
      if (k.principal.equals(principal)) {
        return true;
      }
    }
    return false;
  }

  /** Whether any participant key is configured (signed queries are refused otherwise). */
  public boolean acceptsParticipants() {
    return participantSignatures != null;
  }

  /**
   * The participant key that signed this request.
   *
   * @throws CallSignatureException when it is unsigned, malformed, signed with an unknown key,
   *     forged, stale or replayed
   */
  public ParticipantKey participant(
      String method, String rawPath, UnaryOperator<String> header, byte[] body) {
    if (participantSignatures == null) {
      throw new CallSignatureException(
          CallSignatureException.Reason.UNKNOWN_KEY,
          "this server has no participant keys; ask with a reader token, or configure the"
              + " participant's key (--participant-keys)");
    }
    return participants.get(participantSignatures.verifyRequest(method, rawPath, header, body));
  }

  /** Whether a branch among {@code branches} calls a URL on one of {@code key}'s hosts. */
  public static boolean targets(ParticipantKey key, List<BranchRecord> branches) {
    for (BranchRecord b : branches) {
      if (!HttpTarget.PARTICIPANT.equals(b.participant())) {
        continue;
      }
      HttpTarget target;
      try {
        target = HttpTarget.decode(b.payload());
      } catch (RuntimeException e) {
        continue; // not written by this server: it names no URL
      }
      for (Operation op : target.shape().operations()) {
        URI url = target.url(op);
        if (key.covers(url)) {
          return true;
        }
      }
    }
    return false;
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
