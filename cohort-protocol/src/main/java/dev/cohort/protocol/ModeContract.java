package dev.cohort.protocol;

import dev.cohort.api.InvalidInputException;
import dev.cohort.api.Mode;
import java.util.Objects;
import java.util.Optional;

/**
 * What a client (the SDK's transports, the server's API) must know about a mode to start and carry
 * its transactions, as data: the mode's part of the protocol next to its {@link BranchShape}. The
 * engine's processor of the mode supplies it ({@code ModeProcessor.clientContract()}), so a new
 * mode brings its own and no transport branches on the mode.
 *
 * @param registration whether a registered branch runs at once or waits for the commit
 * @param parallel whether a one-shot transaction may run its branches concurrently (the request's
 *     {@code parallel} field); false: {@code parallel} is refused for this mode
 * @param httpShape the shape of the mode's HTTP branches; empty when the mode has none (its
 *     branches are in-process only, and the server refuses the mode's HTTP branches)
 */
public record ModeContract(
    Mode mode, Registration registration, boolean parallel, Optional<BranchShape> httpShape) {

  /** TCC: each registered branch is tried before the register answers; parallel tries exist. */
  public static final ModeContract TCC =
      new ModeContract(Mode.TCC, Registration.RUNS_AT_ONCE, true, Optional.of(BranchShape.TCC));

  /** Saga: steps run in order only once the transaction is committed (submitted). */
  public static final ModeContract SAGA =
      new ModeContract(
          Mode.SAGA, Registration.WAITS_FOR_COMMIT, false, Optional.of(BranchShape.SAGA));

  /**
   * Two-phase commit across services: branches are only logged until the commit, which prepares
   * them all (serially, or concurrently with {@code parallel}) and then commits or rolls back.
   */
  public static final ModeContract XA =
      new ModeContract(Mode.XA, Registration.WAITS_FOR_COMMIT, true, Optional.of(BranchShape.XA));

  /**
   * Three-phase commit: branches are logged until the commit runs can-commit, pre-commit,
   * do-commit.
   */
  public static final ModeContract THREE_PC =
      new ModeContract(
          Mode.THREE_PC, Registration.WAITS_FOR_COMMIT, false, Optional.of(BranchShape.THREE_PC));

  /** When a registered branch is run. */
  public enum Registration {
    /**
     * The branch runs (e.g. a TCC try) before the register answers, so the client registers each
     * branch as it comes and learns at once whether the transaction is still open; the server
     * answers such a register {@code 200} (something ran, the status says how it went).
     */
    RUNS_AT_ONCE(200),
    /**
     * Nothing runs before the commit, so a lazily begun transaction keeps its branches and sends
     * them with the commit in one call; the server answers such a register {@code 201} (the branch
     * was only logged).
     */
    WAITS_FOR_COMMIT(201);

    private final int registerStatus;

    Registration(int registerStatus) {
      this.registerStatus = registerStatus;
    }

    /** The HTTP status of a successful register (docs/protocol.md, "Register a branch"). */
    public int registerStatus() {
      return registerStatus;
    }
  }

  public ModeContract {
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(registration, "registration");
    Objects.requireNonNull(httpShape, "httpShape (Optional.empty() for a mode without HTTP)");
    httpShape.ifPresent(shape -> {
      if (!shape.mode().equals(mode)) {
        throw new InvalidInputException(
            "the HTTP branch shape of a "
                + mode.code()
                + " contract must be the "
                + mode.code()
                + " shape, was "
                + shape.mode().code());
      }
    });
  }

  /** A mode reached in-process only (no HTTP branch shape), e.g. one a plug-in adds. */
  public static ModeContract inProcess(Mode mode, Registration registration, boolean parallel) {
    return new ModeContract(mode, registration, parallel, Optional.empty());
  }

  /** Whether a lazily begun transaction keeps its branches until the commit sends them. */
  public boolean buffersUntilCommit() {
    return registration == Registration.WAITS_FOR_COMMIT;
  }

  /** The shape of the mode's HTTP branches; a clear error when the mode has none. */
  public BranchShape requireHttpShape() {
    return httpShape.orElseThrow(() ->
        new InvalidInputException(
            "a "
                + mode.code()
                + " transaction has no HTTP branches; its mode reaches participants in-process"
                + " only"));
  }
}
