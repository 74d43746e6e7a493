package dev.cohort.protocol.v1;

/**
 * A call to the coordinator API that did not give a 2xx JSON answer. {@link #kind()} says what
 * happened; an {@link Kind#ERROR} carries the answer's {@link ErrorCode} and body.
 */
public final class CoordinatorCallException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** What went wrong with the call. */
  public enum Kind {
    /** No answer within the request timeout: the request may have taken effect. */
    TIMEOUT,
    /** The coordinator could not be reached (connection refused, reset, ...). */
    UNREACHABLE,
    /** The calling thread was interrupted; its flag is set again. */
    INTERRUPTED,
    /** A non-2xx answer: see {@link #code()} and {@link #body()}. */
    ERROR,
    /** A 2xx answer whose body is not the JSON the protocol says. */
    MALFORMED
  }

  private final Kind kind;
  private final String call;
  private final int status;
  private final transient ErrorCode code;
  private final transient ErrorBody body;
  private final String rawSnippet;

  CoordinatorCallException(
      Kind kind,
      String call,
      int status,
      ErrorCode code,
      ErrorBody body,
      String rawSnippet,
      String message,
      Throwable cause) {
    super(message, cause);
    this.kind = kind;
    this.call = call;
    this.status = status;
    this.code = code;
    this.body = body;
    this.rawSnippet = rawSnippet;
  }

  public Kind kind() {
    return kind;
  }

  /** The request, e.g. {@code POST /v1/transactions/g-1/commit}. */
  public String call() {
    return call;
  }

  /** The answer's HTTP status; -1 without an answer. */
  public int status() {
    return status;
  }

  /** The error of an {@link Kind#ERROR} answer; null otherwise. */
  public ErrorCode code() {
    return code;
  }

  /** The error body as sent; fields are null when the answer had no JSON error body. */
  public ErrorBody body() {
    return body;
  }

  /** The body's {@code message}, or a short excerpt of the raw answer when it had none. */
  public String serverMessage() {
    return body != null && body.message() != null ? body.message() : rawSnippet;
  }
}
