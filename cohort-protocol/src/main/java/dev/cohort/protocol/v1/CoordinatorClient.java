package dev.cohort.protocol.v1;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cohort.protocol.JdkHttp;
import dev.cohort.protocol.Snippets;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import javax.net.ssl.SSLContext;

/**
 * The one HTTP client of the coordinator API: one keep-alive HTTP/1.1 JDK client, its {@link
 * Credential} (a bearer token, or a participant's signature) on every request, typed methods
 * returning the protocol's bodies, and every failure as a {@link CoordinatorCallException} whose
 * {@link ErrorCode} callers map to their own exceptions.
 */
public final class CoordinatorClient implements AutoCloseable {
  private static final int SNIPPET_CHARS = 300;
  private static final byte[] EMPTY_OBJECT = "{}".getBytes(StandardCharsets.UTF_8);

  private static final ObjectReader OUTCOME = Codec.JSON.readerFor(OutcomeBody.class);
  private static final ObjectReader CREATED = Codec.JSON.readerFor(Created.class);
  private static final ObjectReader REGISTERED = Codec.JSON.readerFor(Registered.class);
  private static final ObjectReader DETAIL = Codec.JSON.readerFor(TransactionDetail.class);
  private static final ObjectReader PARTICIPANT_OUTCOME =
      Codec.JSON.readerFor(ParticipantOutcome.class);
  private static final ObjectReader PAGE = Codec.JSON.readerFor(TransactionPage.class);
  private static final ObjectReader ERROR = Codec.JSON.readerFor(ErrorBody.class);
  private static final ObjectWriter WRITER = Codec.JSON.writer();

  private final URI base;
  private final Credential credential;
  private final Duration requestTimeout;
  private final HttpClient http;

  /**
   * @param base the server's root URL without a trailing slash
   * @param token a bearer token of a role that may call what this client calls (a reader token for
   *     queries); null sends none, which only {@code /health} accepts
   */
  public CoordinatorClient(
      URI base, String token, Duration connectTimeout, Duration requestTimeout) {
    this(base, token, connectTimeout, requestTimeout, null);
  }

  /**
   * @param sslContext TLS trust for an {@code https} server (see {@link
   *     dev.cohort.protocol.TrustedCertificates}); null for the JDK's default trust
   */
  public CoordinatorClient(
      URI base,
      String token,
      Duration connectTimeout,
      Duration requestTimeout,
      SSLContext sslContext) {
    this(
        base,
        token == null ? Credential.none() : Credential.bearer(token),
        connectTimeout,
        requestTimeout,
        sslContext);
  }

  /**
   * A client with any credential, e.g. {@link Credential#signed} for a participant asking for the
   * outcome of its own transactions ({@link #outcome}).
   */
  public CoordinatorClient(
      URI base,
      Credential credential,
      Duration connectTimeout,
      Duration requestTimeout,
      SSLContext sslContext) {
    this.base = Objects.requireNonNull(base, "base");
    this.credential = Objects.requireNonNull(credential, "credential");
    this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
    this.http = JdkHttp.client(connectTimeout, sslContext);
  }

  public URI base() {
    return base;
  }

  public Duration requestTimeout() {
    return requestTimeout;
  }

  /** {@code POST /v1/transactions} that opens a transaction (201). */
  public Created create(CreateRequest request) {
    return read(CREATED, Created.class, post(Endpoint.CREATE.path(), write(request)));
  }

  /** {@code POST /v1/transactions} with {@code submit}: one shot or empty commit (200). */
  public OutcomeBody submit(CreateRequest request) {
    return read(OUTCOME, OutcomeBody.class, post(Endpoint.CREATE.path(), write(request)));
  }

  /** {@code POST /v1/transactions/{gid}/branches} with a branch {@link BranchJson} wrote. */
  public Registered register(String gid, ObjectNode branch) {
    return read(REGISTERED, Registered.class, post(Endpoint.REGISTER.path(gid), write(branch)));
  }

  public OutcomeBody commit(String gid) {
    return read(OUTCOME, OutcomeBody.class, post(Endpoint.COMMIT.path(gid), EMPTY_OBJECT));
  }

  public OutcomeBody abort(String gid) {
    return read(OUTCOME, OutcomeBody.class, post(Endpoint.ABORT.path(gid), EMPTY_OBJECT));
  }

  public OutcomeBody retry(String gid) {
    return read(OUTCOME, OutcomeBody.class, post(Endpoint.RETRY.path(gid), EMPTY_OBJECT));
  }

  public OutcomeBody resolve(String gid, String reason) {
    return read(
        OUTCOME,
        OutcomeBody.class,
        post(Endpoint.RESOLVE.path(gid), write(new ResolveRequest(reason))));
  }

  /** {@code GET /v1/transactions/{gid}}: the transaction with its branches and timeline. */
  public TransactionDetail show(String gid) {
    return read(DETAIL, TransactionDetail.class, get(Endpoint.SHOW.path(gid)));
  }

  /**
   * {@code GET /v1/transactions/{gid}/outcome}: what a participant asks. With a {@link
   * Credential#signed} credential the server answers only for a gid with a branch of this
   * participant's; any other gid, known or not, is a 403 {@code forbidden}.
   */
  public ParticipantOutcome outcome(String gid) {
    return read(PARTICIPANT_OUTCOME, ParticipantOutcome.class, get(Endpoint.OUTCOME.path(gid)));
  }

  /** {@code GET /v1/transactions} with these query parameters (null values left out). */
  public TransactionPage list(Map<String, String> params) {
    StringBuilder path = new StringBuilder(Endpoint.LIST.path());
    char sep = '?';
    for (Map.Entry<String, String> p : params.entrySet()) {
      if (p.getValue() != null) {
        path.append(sep)
            .append(URLEncoder.encode(p.getKey(), StandardCharsets.UTF_8))
            .append('=')
            .append(URLEncoder.encode(p.getValue(), StandardCharsets.UTF_8));
        sep = '&';
      }
    }
    return read(PAGE, TransactionPage.class, get(path.toString()));
  }

  @Override
  public void close() {
    http.close();
  }

  @Override
  public String toString() {
    return "CoordinatorClient[" + base + ", " + credential + "]";
  }

  // --- HTTP ---

  private Answer post(String path, byte[] json) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri(path))
            .timeout(requestTimeout)
            .header("Content-Type", "application/json")
            .header("Accept", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(json));
    credential.headers("POST", rawPath(path), json).forEach(request::header);
    return exchange(request.build());
  }

  private Answer get(String path) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri(path))
            .timeout(requestTimeout)
            .header("Accept", "application/json")
            .GET();
    credential.headers("GET", rawPath(path), new byte[0]).forEach(request::header);
    return exchange(request.build());
  }

  /** The path as the request line carries it: the base URL's path prefix, no query. */
  private String rawPath(String path) {
    String prefix = base.getRawPath() == null ? "" : base.getRawPath();
    int query = path.indexOf('?');
    return prefix + (query < 0 ? path : path.substring(0, query));
  }

  private URI uri(String path) {
    try {
      return URI.create(base + path);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "the server URL '" + base + "' is not usable: " + e.getMessage(), e);
    }
  }

  /** A 2xx answer: its request and its body bytes. */
  private static final class Answer {
    private final String call;
    private final int status;
    private final byte[] body;

    Answer(String call, int status, byte[] body) {
      this.call = call;
      this.status = status;
      this.body = body;
    }
  }

  private Answer exchange(HttpRequest request) {
    String call = request.method() + " " + request.uri().getRawPath();
    HttpResponse<byte[]> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (HttpTimeoutException e) {
      throw new CoordinatorCallException(
          CoordinatorCallException.Kind.TIMEOUT,
          call,
          -1,
          null,
          null,
          null,
          call
              + ": no answer from the coordinator at "
              + base
              + " within "
              + requestTimeout.toMillis()
              + " ms; the request may have taken effect",
          e);
    } catch (IOException e) {
      throw new CoordinatorCallException(
          CoordinatorCallException.Kind.UNREACHABLE,
          call,
          -1,
          null,
          null,
          null,
          call + ": could not reach the coordinator at " + base + " (" + e + ")",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CoordinatorCallException(
          CoordinatorCallException.Kind.INTERRUPTED,
          call,
          -1,
          null,
          null,
          null,
          call + ": interrupted",
          e);
    }
    int status = response.statusCode();
    byte[] body = response.body();
    if (status >= 200 && status < 300) {
      return new Answer(call, status, body);
    }
    ErrorBody error = errorBody(body);
    ErrorCode code = ErrorCode.of(error.error(), status);
    String raw = Snippets.of(new String(body, StandardCharsets.UTF_8), SNIPPET_CHARS);
    String message = error.message() != null ? error.message() : raw;
    throw new CoordinatorCallException(
        CoordinatorCallException.Kind.ERROR,
        call,
        status,
        code,
        error,
        raw,
        call + ": the coordinator answered " + status + " " + code.code() + ": " + message,
        null);
  }

  private static ErrorBody errorBody(byte[] body) {
    try {
      ErrorBody parsed = body.length == 0 ? null : ERROR.readValue(body);
      if (parsed != null) {
        return parsed;
      }
    } catch (IOException e) {
      // Not our error body (a proxy's page): the raw text is shown instead.
    }
    return new ErrorBody(null, null, null, null, null);
  }

  private static <T> T read(ObjectReader reader, Class<T> type, Answer answer) {
    try {
      T value = answer.body.length == 0 ? null : type.cast(reader.readValue(answer.body));
      if (value == null) {
        throw malformed(answer, "without a JSON object", null);
      }
      return value;
    } catch (IOException e) {
      throw malformed(answer, "with a body that is not the protocol's", e);
    }
  }

  private static CoordinatorCallException malformed(Answer answer, String what, Throwable cause) {
    return new CoordinatorCallException(
        CoordinatorCallException.Kind.MALFORMED,
        answer.call,
        answer.status,
        null,
        null,
        null,
        answer.call
            + ": the coordinator answered "
            + answer.status
            + " "
            + what
            + ": "
            + Snippets.of(new String(answer.body, StandardCharsets.UTF_8), SNIPPET_CHARS),
        cause);
  }

  private static byte[] write(Object body) {
    try {
      return WRITER.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("a request body could not be written as JSON", e);
    }
  }
}
