package dev.cohort.protocol.v1;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.cohort.protocol.HttpTarget;
import dev.cohort.protocol.Operation;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * One branch of a {@link TransactionDetail}. An HTTP branch has one URL field per operation of its
 * mode's {@link dev.cohort.protocol.BranchShape} (named by the operation's code), {@code recovery}
 * where the shape has one, and its {@code payload} as JSON; a branch logged by an in-process
 * participant has {@code participant} and its payload text as a JSON string instead. Fields a
 * branch does not have are left out; {@code lastError}, {@code payload} and {@code attemptHistory}
 * (the calls the log keeps of the branch, oldest first; empty when none) are always written.
 *
 * <p>Use {@link #http} and {@link #inProcess} rather than the canonical constructor.
 */
public record BranchDetail(
    String branchId,
    int seq,
    String status,
    int attempts,
    @JsonInclude(JsonInclude.Include.ALWAYS) String lastError,
    @JsonInclude(JsonInclude.Include.NON_NULL) String participant,
    @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("try") String tryUrl,
    @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("confirm") String confirmUrl,
    @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("cancel") String cancelUrl,
    @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("action") String actionUrl,
    @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("compensate") String compensateUrl,
    @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("prepare") String prepareUrl,
    @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("commit") String commitUrl,
    @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("rollback") String rollbackUrl,
    @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("can-commit") String canCommitUrl,
    @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("pre-commit") String preCommitUrl,
    @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("do-commit") String doCommitUrl,
    @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("abort") String abortUrl,
    @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("check") String checkUrl,
    @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("receive") String receiveUrl,
    @JsonInclude(JsonInclude.Include.NON_NULL) String recovery,
    @JsonInclude(JsonInclude.Include.ALWAYS) JsonNode payload,
    @JsonInclude(JsonInclude.Include.ALWAYS) List<AttemptDetail> attemptHistory) {

  public BranchDetail {
    // An older server, or a body built without it, has no history: an empty list, never null.
    attemptHistory = attemptHistory == null ? List.of() : List.copyOf(attemptHistory);
  }

  /**
   * An HTTP branch as the server shows it.
   *
   * @throws dev.cohort.api.InvalidInputException when the target's body is not JSON text
   */
  public static BranchDetail http(
      String branchId,
      int seq,
      String status,
      int attempts,
      String lastError,
      HttpTarget target,
      boolean forward) {
    Map<Operation, String> urls = new EnumMap<>(Operation.class);
    target.urls().forEach((op, url) -> urls.put(op, url.toString()));
    return new BranchDetail(
        branchId,
        seq,
        status,
        attempts,
        lastError,
        null,
        urls.get(Operation.TRY),
        urls.get(Operation.CONFIRM),
        urls.get(Operation.CANCEL),
        urls.get(Operation.ACTION),
        urls.get(Operation.COMPENSATE),
        urls.get(Operation.PREPARE),
        urls.get(Operation.COMMIT),
        urls.get(Operation.ROLLBACK),
        urls.get(Operation.CAN_COMMIT),
        urls.get(Operation.PRE_COMMIT),
        urls.get(Operation.DO_COMMIT),
        urls.get(Operation.ABORT),
        urls.get(Operation.CHECK),
        urls.get(Operation.RECEIVE),
        target.shape().hasRecovery() ? (forward ? "forward" : "backward") : null,
        BranchJson.payload(target.body()),
        List.of());
  }

  /** A branch of an in-process participant: its payload text, shown as a JSON string. */
  public static BranchDetail inProcess(
      String branchId,
      int seq,
      String status,
      int attempts,
      String lastError,
      String participant,
      String payload) {
    return new BranchDetail(
        branchId,
        seq,
        status,
        attempts,
        lastError,
        participant,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        payload == null ? null : TextNode.valueOf(payload),
        List.of());
  }

  /** This branch with the calls the log keeps of it, oldest first. */
  public BranchDetail withAttemptHistory(List<AttemptDetail> history) {
    return new BranchDetail(
        branchId,
        seq,
        status,
        attempts,
        lastError,
        participant,
        tryUrl,
        confirmUrl,
        cancelUrl,
        actionUrl,
        compensateUrl,
        prepareUrl,
        commitUrl,
        rollbackUrl,
        canCommitUrl,
        preCommitUrl,
        doCommitUrl,
        abortUrl,
        checkUrl,
        receiveUrl,
        recovery,
        payload,
        history);
  }

  /** The URL shown for {@code op}, or null when this branch has none for it. */
  public String url(Operation op) {
    return switch (op) {
      case TRY -> tryUrl;
      case CONFIRM -> confirmUrl;
      case CANCEL -> cancelUrl;
      case ACTION -> actionUrl;
      case COMPENSATE -> compensateUrl;
      case PREPARE -> prepareUrl;
      case COMMIT -> commitUrl;
      case ROLLBACK -> rollbackUrl;
      case CAN_COMMIT -> canCommitUrl;
      case PRE_COMMIT -> preCommitUrl;
      case DO_COMMIT -> doCommitUrl;
      case ABORT -> abortUrl;
      case CHECK -> checkUrl;
      case RECEIVE -> receiveUrl;
    };
  }

  /** Whether this is an HTTP branch (it names no in-process participant). */
  @JsonIgnore
  public boolean isHttp() {
    return participant == null;
  }

  /** Whether a saga step retries forward rather than compensating. */
  @JsonIgnore
  public boolean isForward() {
    return "forward".equals(recovery);
  }

  /** The payload as JSON text ({@code null} when absent), as the branch's calls carry it. */
  @JsonIgnore
  public String payloadText() {
    return payload == null ? "null" : payload.toString();
  }
}
