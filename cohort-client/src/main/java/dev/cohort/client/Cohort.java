package dev.cohort.client;

import dev.cohort.api.Gid;
import dev.cohort.api.InvalidInputException;
import dev.cohort.api.Mode;
import dev.cohort.api.Outcome;
import dev.cohort.client.internal.RemoteCohort;
import dev.cohort.protocol.TrustedCertificates;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLContext;

/**
 * The SDK: the same API whether the coordinator runs as a server ({@link #connect}) or in this JVM
 * ({@code EmbeddedCohort.of(coordinator)} from cohort-embedded).
 *
 * <pre>{@code
 * try (Cohort cohort = Cohort.connect(URI.create("http://127.0.0.1:7070"), token)) {
 *   Transaction tx = cohort.begin(Mode.TCC);
 *   tx.register(Branch.tcc("stock", tryUrl, confirmUrl, cancelUrl, "{\"sku\":\"A-1\",\"qty\":2}"));
 *   tx.register(Branch.tcc("pay", payTry, payConfirm, payCancel, "{\"cents\":500}"));
 *   Outcome outcome = tx.commit();
 * }
 * }</pre>
 *
 * Both transports throw the same exceptions: {@link dev.cohort.api.UnknownTransactionException},
 * {@link dev.cohort.api.IllegalOperationException}, {@link InvalidInputException}, {@link
 * TransactionRolledBackException}; over HTTP also {@link CohortAuthException} and {@link
 * CohortTransportException}. Thread-safe.
 */
public interface Cohort extends AutoCloseable {
  /** A client of the coordinator server at {@code server} (e.g. {@code http://127.0.0.1:7070}). */
  static Cohort connect(URI server, String token) {
    return connectTo(server).token(token).build();
  }

  /** Settings for a server client: token, timeouts. */
  static ConnectBuilder connectTo(URI server) {
    return new ConnectBuilder(server);
  }

  /** Begins a transaction with the coordinator's default timeout. */
  Transaction begin(Mode mode);

  /**
   * Begins a transaction in status {@code open}.
   *
   * @param timeout an open transaction not committed by then is rolled back
   */
  Transaction begin(Mode mode, Duration timeout);

  /**
   * Begins a transaction in status {@code open} under a gid the caller chose, e.g. one a test
   * harness follows (the chaos checker) or an id the caller already logged.
   *
   * @param gid must not be in use; a gid the coordinator knows already is refused
   * @param timeout null for the coordinator's default
   */
  Transaction begin(Mode mode, Gid gid, Duration timeout);

  /** {@link #beginLazily(Mode, Duration)} with the coordinator's default timeout. */
  Transaction beginLazily(Mode mode);

  /**
   * Begins a transaction the coordinator hears of only with its first {@code register}, {@code
   * commit} or {@code abort}: one request and one durable log write fewer than {@link #begin}. The
   * gid is chosen here and known at once. A TCC branch is still tried when it is registered (the
   * first register creates the transaction with it); saga steps are kept in this object and sent
   * with the commit, in one request. A commit with nothing registered records a committed, empty
   * transaction in one write; an abort with nothing sent contacts nobody.
   *
   * <p>Until the first call reaches the coordinator, {@link #outcome} of the gid says unknown and
   * no other service can register into it: use {@link #begin} when the gid travels to others before
   * this process registers a branch.
   *
   * @param timeout counted from when the coordinator creates it; null for its default
   */
  Transaction beginLazily(Mode mode, Duration timeout);

  /**
   * Registers {@code branches} and commits in one step (over HTTP: one request, {@code submit:
   * true}). A refused TCC try does not throw: the outcome says {@code rolled_back} and why.
   */
  Outcome run(Mode mode, List<Branch> branches);

  /**
   * {@link #run} of a TCC transaction with presumed abort: nothing is logged before the tries, the
   * decision is the first write (one durable write fewer). Only for participants that settle tries
   * held too long by asking for the outcome with a reader token (cohort-participant's {@code
   * HeldBranchResolver}): if the coordinator stops during the tries, nothing else releases them.
   * See docs/protocol.md, "Presumed abort".
   */
  Outcome runPresumingAbort(List<Branch> tccBranches);

  /** Where the transaction stands now. */
  Outcome outcome(Gid gid);

  /** The transaction and its branches. */
  TransactionInfo status(Gid gid);

  @Override
  void close();

  /** Builds a {@link #connect} client. */
  final class ConnectBuilder {
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);

    /** Commit and one-shot requests wait for the outcome, so this is generous. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(60);

    private final URI server;
    private String token;
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
    private SSLContext sslContext;

    ConnectBuilder(URI server) {
      this.server = RemoteCohort.checkServer(server);
    }

    /** The server's bearer token, sent on every POST. */
    public ConnectBuilder token(String value) {
      if (value == null || value.isBlank()) {
        throw new InvalidInputException(
            "token is "
                + (value == null ? "null" : "blank")
                + "; pass the token the server was started with (cohort server --token or"
                + " COHORT_TOKEN)");
      }
      this.token = value;
      return this;
    }

    public ConnectBuilder connectTimeout(Duration value) {
      this.connectTimeout = positive("connectTimeout", value, DEFAULT_CONNECT_TIMEOUT);
      return this;
    }

    /** The longest one request may take, a commit waiting for its outcome included. */
    public ConnectBuilder requestTimeout(Duration value) {
      this.requestTimeout = positive("requestTimeout", value, DEFAULT_REQUEST_TIMEOUT);
      return this;
    }

    /**
     * Trusts the certificates in {@code pem} (a private CA, or the server's self-signed
     * certificate) for an {@code https} server, instead of the JDK's public CAs; the host name is
     * still checked against the certificate.
     */
    public ConnectBuilder trustedCertificates(Path pem) {
      this.sslContext = TrustedCertificates.sslContext(Objects.requireNonNull(pem, "pem"));
      return this;
    }

    /** TLS settings of your own for an {@code https} server (client certificates, pinning). */
    public ConnectBuilder sslContext(SSLContext value) {
      this.sslContext = Objects.requireNonNull(value, "sslContext");
      return this;
    }

    public Cohort build() {
      if (token == null) {
        throw new InvalidInputException(
            "a server client needs the server's token: call token(...) (cohort server --token or"
                + " COHORT_TOKEN)");
      }
      return new RemoteCohort(server, token, connectTimeout, requestTimeout, sslContext);
    }

    private static Duration positive(String name, Duration value, Duration fallback) {
      if (value == null || value.isNegative() || value.isZero()) {
        throw new InvalidInputException(
            name
                + " must be a positive duration but was "
                + value
                + "; the default is "
                + fallback);
      }
      return value;
    }
  }
}
