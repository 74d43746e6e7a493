package dev.cohort.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cohort.protocol.CallSignatureException.Reason;
import dev.cohort.testing.time.MutableClock;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.UnaryOperator;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class CallSignatureTest {
  private static final byte[] OLD =
      "old-key-old-key-old-key-old-key-".getBytes(StandardCharsets.UTF_8);
  private static final byte[] NEW =
      "new-key-new-key-new-key-new-key-".getBytes(StandardCharsets.UTF_8);
  private static final byte[] BODY = "{\"amount\":30}".getBytes(StandardCharsets.UTF_8);

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-21T18:00:00Z"));
  private final CallSignature signer =
      new CallSignature(Map.of("k1", OLD), "k1", CallSignature.DEFAULT_MAX_SKEW, clock);
  private final CallSignature verifier =
      new CallSignature(Map.of("k1", OLD, "k2", NEW), "k2", CallSignature.DEFAULT_MAX_SKEW, clock);

  private static UnaryOperator<String> lookup(Map<String, String> headers) {
    Map<String, String> lower = new HashMap<>();
    headers.forEach((k, v) -> lower.put(k.toLowerCase(Locale.ROOT), v));
    return name -> lower.get(name.toLowerCase(Locale.ROOT));
  }

  private Reason refusal(Map<String, String> headers, byte[] body) {
    try {
      verifier.verify(lookup(headers), body);
    } catch (CallSignatureException e) {
      return e.reason();
    }
    return null;
  }

  @Test
  void shouldAcceptSignedCallAndRefuseItsExactReplay() {
    Map<String, String> h = signer.sign("g1", "01", "try", BODY);
    assertThat(refusal(h, BODY)).isNull();
    assertThat(refusal(h, BODY)).isEqualTo(Reason.REPLAYED);
  }

  @Test
  void shouldAcceptCallsSignedWithTheNewKeyDuringRotation() {
    CallSignature rotatedSigner =
        new CallSignature(Map.of("k2", NEW), "k2", CallSignature.DEFAULT_MAX_SKEW, clock);

    assertThat(refusal(rotatedSigner.sign("g1", "01", "try", BODY), BODY)).isNull();
    assertThat(refusal(signer.sign("g2", "01", "try", BODY), BODY)).isNull();
  }

  @Test
  void shouldStillRefuseAReplayOnceItHasLeftTheReplayCache() {
    Map<String, String> h = signer.sign("g1", "01", "try", BODY);
    assertThat(refusal(h, BODY)).isNull();

    // Past two skew windows the entry is evicted; the timestamp check now refuses the replay.
    clock.advance(CallSignature.DEFAULT_MAX_SKEW.multipliedBy(2).plusMillis(1));
    assertThat(refusal(signer.sign("g9", "01", "try", BODY), BODY)).isNull();

    assertThat(refusal(h, BODY)).isEqualTo(Reason.STALE);
  }

  @Test
  void shouldRefuseEachTamperedField() {
    Map<String, String> h = signer.sign("g1", "01", "try", BODY);
    for (String name :
        new String[] {
          CallSignature.GID_HEADER,
          CallSignature.BRANCH_HEADER,
          CallSignature.OP_HEADER,
          CallSignature.TIMESTAMP_HEADER
        }) {
      Map<String, String> t = new HashMap<>(h);
      t.put(name, t.get(name) + "1");
      assertThat(refusal(t, BODY)).as(name).isEqualTo(Reason.FORGED);
    }
    assertThat(refusal(h, "{\"amount\":31}".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(Reason.FORGED);
  }

  @Test
  void shouldClassifyUnsignedMalformedAndUnknownKey() {
    Map<String, String> h = signer.sign("g1", "01", "try", BODY);
    Map<String, String> t = new HashMap<>(h);
    t.remove(CallSignature.SIGNATURE_HEADER);
    assertThat(refusal(t, BODY)).isEqualTo(Reason.UNSIGNED);
    t.put(CallSignature.SIGNATURE_HEADER, "garbage");
    assertThat(refusal(t, BODY)).isEqualTo(Reason.MALFORMED);
    t.put(
        CallSignature.SIGNATURE_HEADER, h.get(CallSignature.SIGNATURE_HEADER).replace("k1", "k9"));
    assertThat(refusal(t, BODY)).isEqualTo(Reason.UNKNOWN_KEY);
  }

  @Test
  void shouldRefuseStaleAndFutureCallsJustBeyondTheSkewWindow() {
    Map<String, String> h = signer.sign("g1", "01", "try", BODY);
    clock.advance(CallSignature.DEFAULT_MAX_SKEW.plusMillis(1));
    assertThat(refusal(h, BODY)).isEqualTo(Reason.STALE);
    Map<String, String> edge = signer.sign("g1", "02", "try", BODY);
    clock.advance(CallSignature.DEFAULT_MAX_SKEW);
    assertThat(refusal(edge, BODY)).isNull();
    Map<String, String> future = signer.sign("g1", "03", "try", BODY);
    clock.advance(Duration.ofMinutes(-5).minusMillis(1));
    assertThat(refusal(future, BODY)).isEqualTo(Reason.STALE);
  }

  @Test
  void shouldRejectShortKeysAndRedactToString() {
    assertThatThrownBy(
            () -> new CallSignature(Map.of("k", new byte[8]), "k", Duration.ofMinutes(1), clock))
        .hasMessageContaining("8 bytes")
        .hasMessageContaining("at least 32");
    assertThat(verifier.toString()).doesNotContain("old-key").contains("redacted");
  }

  /** The signature as docs/protocol.md defines it, computed here without CallSignature. */
  private static String documentedSignature(
      byte[] key, String gid, String branch, String op, String timestamp, byte[] body)
      throws Exception {
    String bodyHash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
    String canonical =
        "v1\n" + gid + "\n" + branch + "\n" + op + "\n" + timestamp + "\n" + bodyHash;
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    return HexFormat.of().formatHex(mac.doFinal(canonical.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void shouldSignAsDocumentedFromManyThreadsAtOnce() throws Exception {
    int threads = 8;
    int perThread = 300;
    List<String> wrong = new CopyOnWriteArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        done.add(
            pool.submit(() -> {
              for (int i = 0; i < perThread; i++) {
                String gid = "g-" + thread + "-" + i;
                byte[] body = ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8);
                Map<String, String> headers = signer.sign(gid, "b" + thread, "confirm", body);
                String sig = headers.get(CallSignature.SIGNATURE_HEADER);
                String expected =
                    documentedSignature(
                        OLD,
                        gid,
                        "b" + thread,
                        "confirm",
                        headers.get(CallSignature.TIMESTAMP_HEADER),
                        body);
                if (!sig.equals("v1,kid=k1,sig=" + expected)) {
                  wrong.add(gid + ": " + sig);
                }
                if (refusal(headers, body) != null) {
                  wrong.add(gid + ": refused " + refusal(headers, body));
                }
              }
              return null;
            }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    }
    assertThat(wrong).isEmpty();
  }

  @Test
  void shouldSignARequestAsTheProtocolDocumentsIt() {
    MutableClock at = new MutableClock(Instant.ofEpochMilli(1_795_284_000_000L));
    CallSignature stock =
        new CallSignature(
            Map.of("stock-1", "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8)),
            "stock-1",
            CallSignature.DEFAULT_MAX_SKEW,
            at);
    Map<String, String> headers =
        stock.signRequest("GET", "/v1/transactions/order-42/outcome", new byte[0]);
    // The example of docs/protocol.md, "Signed requests".
    assertThat(headers)
        .containsExactly(
            Map.entry(CallSignature.TIMESTAMP_HEADER, "1795284000000"),
            Map.entry(
                CallSignature.SIGNATURE_HEADER,
                "v1,kid=stock-1,sig=6681cde32b4ed358719aeac427c078b16c2491e8d0949ba81dd2d4294a5240bd"));
    assertThat(
            stock.verifyRequest(
                "GET", "/v1/transactions/order-42/outcome", lookup(headers), new byte[0]))
        .isEqualTo("stock-1");
  }

  @Test
  void shouldRefuseASignedRequestReplayedMovedStaleOrAsACall() {
    Map<String, String> h = signer.signRequest("GET", "/v1/transactions/g1/outcome", null);
    assertThat(verifier.verifyRequest("GET", "/v1/transactions/g1/outcome", lookup(h), null))
        .isEqualTo("k1");
    assertThat(requestRefusal("GET", "/v1/transactions/g1/outcome", h)).isEqualTo(Reason.REPLAYED);
    Map<String, String> moved = signer.signRequest("GET", "/v1/transactions/g1/outcome", null);
    assertThat(requestRefusal("GET", "/v1/transactions/g2/outcome", moved))
        .isEqualTo(Reason.FORGED);
    assertThat(requestRefusal("POST", "/v1/transactions/g1/outcome", moved))
        .isEqualTo(Reason.FORGED);
    Map<String, String> old = signer.signRequest("GET", "/v1/transactions/g3/outcome", null);
    clock.advance(CallSignature.DEFAULT_MAX_SKEW.plusMillis(1));
    assertThat(requestRefusal("GET", "/v1/transactions/g3/outcome", old)).isEqualTo(Reason.STALE);
    assertThat(requestRefusal("GET", "/v1/transactions/g3/outcome", Map.of()))
        .isEqualTo(Reason.UNSIGNED);
    // A request's signature never passes as a participant call's, nor the other way round.
    Map<String, String> call = signer.sign("g4", "b", "confirm", null);
    assertThat(requestRefusal("GET", "/v1/transactions/g4/outcome", call)).isEqualTo(Reason.FORGED);
  }

  private Reason requestRefusal(String method, String path, Map<String, String> headers) {
    try {
      verifier.verifyRequest(method, path, lookup(headers), null);
    } catch (CallSignatureException e) {
      return e.reason();
    }
    return null;
  }
}
