package dev.cohort.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cohort.api.BranchId;
import dev.cohort.api.InvalidInputException;
import dev.cohort.api.Mode;
import dev.cohort.protocol.HttpTarget;
import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * One participant of a transaction, as given to {@link Transaction#register} or {@link Cohort#run}.
 *
 * <ul>
 *   <li>{@link #tcc}, {@link #saga}, {@link #xa} and {@link #threePc}: a participant reached over
 *       HTTP at its URLs (any language; see docs/participants.md). Works embedded (through the
 *       {@code http} participant) and over {@link Cohort#connect}.
 *   <li>{@link #inProcess}: a participant registered by name with the embedded {@code Coordinator};
 *       embedded only.
 * </ul>
 */
public final class Branch {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final BranchId id;
  private final HttpTarget target;
  private final String participant;
  private final String payload;
  private final boolean forwardRecovery;

  private Branch(
      BranchId id, HttpTarget target, String participant, String payload, boolean forward) {
    this.id = id;
    this.target = target;
    this.participant = participant;
    this.payload = payload;
    this.forwardRecovery = forward;
  }

  /**
   * A TCC participant over HTTP.
   *
   * @param jsonPayload JSON text sent as the body of every call (null: {@code null})
   */
  public static Branch tcc(
      String id, URI tryUrl, URI confirmUrl, URI cancelUrl, String jsonPayload) {
    String body = json(jsonPayload);
    return new Branch(
        BranchId.of(id),
        HttpTarget.tcc(tryUrl, confirmUrl, cancelUrl, body),
        HttpTarget.PARTICIPANT,
        body,
        false);
  }

  /**
   * A saga step over HTTP.
   *
   * @param forwardRecovery retry the action until it succeeds instead of compensating when it fails
   */
  public static Branch saga(
      String id, URI actionUrl, URI compensateUrl, String jsonPayload, boolean forwardRecovery) {
    String body = json(jsonPayload);
    return new Branch(
        BranchId.of(id),
        HttpTarget.saga(actionUrl, compensateUrl, body),
        HttpTarget.PARTICIPANT,
        body,
        forwardRecovery);
  }

  /**
   * A two-phase-commit (XA) participant over HTTP: prepared at the commit, then committed or rolled
   * back (docs/protocol.md, "Two-phase commit").
   */
  public static Branch xa(
      String id, URI prepareUrl, URI commitUrl, URI rollbackUrl, String jsonPayload) {
    String body = json(jsonPayload);
    return new Branch(
        BranchId.of(id),
        HttpTarget.xa(prepareUrl, commitUrl, rollbackUrl, body),
        HttpTarget.PARTICIPANT,
        body,
        false);
  }

  /**
   * A three-phase-commit participant over HTTP, all four calls on {@code url} (the {@code
   * Cohort-Op} header names each).
   */
  public static Branch threePc(String id, URI url, String jsonPayload) {
    String body = json(jsonPayload);
    return new Branch(
        BranchId.of(id), HttpTarget.threePc(url, body), HttpTarget.PARTICIPANT, body, false);
  }

  /**
   * The first branch of a reliable message (mode {@code msg}): where the coordinator asks whether
   * the service's local transaction committed, when the submit does not come in time
   * (docs/protocol.md, "Reliable messages"). Register it before any receiver.
   */
  public static Branch checkBack(String id, URI checkUrl) {
    requireUrl("checkUrl", checkUrl);
    return new Branch(
        BranchId.of(id),
        HttpTarget.msgCheck(checkUrl, "null"),
        HttpTarget.PARTICIPANT,
        "null",
        false);
  }

  /**
   * A receiver of a reliable message (mode {@code msg}): once the message is committed, {@code
   * jsonPayload} is delivered to {@code receiveUrl} until it answers 2xx.
   */
  public static Branch receiver(String id, URI receiveUrl, String jsonPayload) {
    requireUrl("receiveUrl", receiveUrl);
    String body = json(jsonPayload);
    return new Branch(
        BranchId.of(id),
        HttpTarget.msgReceive(receiveUrl, body),
        HttpTarget.PARTICIPANT,
        body,
        false);
  }

  private static void requireUrl(String name, URI url) {
    if (url == null) {
      throw new InvalidInputException(name + " is required: the participant's http(s) URL");
    }
  }

  /**
   * A participant (TCC) or saga step (backward recovery) registered with the embedded coordinator
   * under {@code participantName}. {@link Cohort#connect} refuses it: a server cannot call into
   * this JVM.
   */
  public static Branch inProcess(String id, String participantName, String payload) {
    return inProcess(id, participantName, payload, false);
  }

  /** As {@link #inProcess(String, String, String)}, choosing the saga recovery. */
  public static Branch inProcess(
      String id, String participantName, String payload, boolean forwardRecovery) {
    if (participantName == null || participantName.isBlank()) {
      throw new InvalidInputException(
          "participantName must name a participant registered with the coordinator");
    }
    return new Branch(BranchId.of(id), null, participantName, payload, forwardRecovery);
  }

  public BranchId id() {
    return id;
  }

  /** The participant name the engine logs: {@code http} for HTTP branches. */
  public String participant() {
    return participant;
  }

  /** For HTTP branches the JSON body; for in-process ones the payload given. */
  public String payload() {
    return payload;
  }

  public boolean forwardRecovery() {
    return forwardRecovery;
  }

  /** The URLs and body of an HTTP branch; empty for an in-process one. */
  public Optional<HttpTarget> httpTarget() {
    return Optional.ofNullable(target);
  }

  /** The payload the engine logs for this branch: the encoded target for HTTP branches. */
  public String enginePayload() {
    return target == null ? payload : target.encode();
  }

  /**
   * Checks that this branch fits a transaction of {@code mode}: an HTTP TCC branch in a TCC
   * transaction, an HTTP saga branch in a saga. Whether an in-process branch's options (e.g.
   * forward recovery) fit its mode is the mode's processor's to say, when the branch reaches it.
   */
  public void requireMode(Mode mode) {
    if (target != null && !target.mode().equals(mode)) {
      throw new InvalidInputException(
          "branch '"
              + id
              + "' is an HTTP "
              + target.mode().code()
              + " branch but the transaction is "
              + mode.code()
              + "; use Branch."
              + mode.code()
              + "(...)");
    }
  }

  private static String json(String text) {
    if (text == null) {
      return "null";
    }
    if (text.isBlank()) {
      throw new InvalidInputException("jsonPayload is blank; pass JSON text or null");
    }
    try {
      JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new InvalidInputException(
          "jsonPayload must be JSON text (it is the body of every call), but: "
              + e.getOriginalMessage());
    }
    return text;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Branch b
        && id.equals(b.id)
        && Objects.equals(target, b.target)
        && participant.equals(b.participant)
        && Objects.equals(payload, b.payload)
        && forwardRecovery == b.forwardRecovery;
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, target, participant, payload, forwardRecovery);
  }

  @Override
  public String toString() {
    return "Branch[" + id + ", " + (target != null ? target : participant) + "]";
  }
}
