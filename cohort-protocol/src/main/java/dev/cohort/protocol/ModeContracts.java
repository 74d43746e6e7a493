package dev.cohort.protocol;

import dev.cohort.api.InvalidInputException;
import dev.cohort.api.Mode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The modes a transport accepts, each with its {@link ModeContract}, in the order they are listed
 * in messages. A mode without a contract here is refused with the list of those that have one.
 */
public final class ModeContracts {
  private final Map<Mode, ModeContract> contracts;

  private ModeContracts(Map<Mode, ModeContract> contracts) {
    this.contracts = contracts;
  }

  /** TCC and saga, the modes every coordinator runs; what {@code Cohort.connect} accepts. */
  public static ModeContracts builtIn() {
    return of(List.of(ModeContract.TCC, ModeContract.SAGA));
  }

  /**
   * Every mode the protocol defines an HTTP shape for: TCC, saga, XA (2PC) and 3PC; what {@code
   * Cohort.connect} accepts. Whether a server runs XA and 3PC is its own setting: one without their
   * processors refuses them with {@code 400} naming the modes it runs.
   */
  public static ModeContracts protocol() {
    return of(List.of(ModeContract.TCC, ModeContract.SAGA, ModeContract.XA, ModeContract.THREE_PC));
  }

  /** These contracts; a mode given twice is refused. */
  public static ModeContracts of(Collection<ModeContract> contracts) {
    Map<Mode, ModeContract> byMode = new LinkedHashMap<>();
    for (ModeContract c : contracts) {
      if (byMode.putIfAbsent(c.mode(), c) != null) {
        throw new InvalidInputException(
            "mode " + c.mode().code() + " has two contracts; give one per mode");
      }
    }
    return new ModeContracts(byMode);
  }

  /** The contract of {@code mode}, if this transport accepts the mode. */
  public Optional<ModeContract> find(Mode mode) {
    return Optional.ofNullable(mode == null ? null : contracts.get(mode));
  }

  /**
   * The contract of {@code mode}; refuses a mode without one: {@code mode must be one of: tcc, saga
   * (was xa)}.
   */
  public ModeContract require(Mode mode) {
    return find(mode)
        .orElseThrow(() ->
            new InvalidInputException(
                "mode must be one of: "
                    + codes()
                    + " (was "
                    + (mode == null ? "null" : mode.code())
                    + ")"));
  }

  /** The contract of the mode named {@code code}, if there is one. */
  public Optional<ModeContract> find(String code) {
    for (ModeContract c : contracts.values()) {
      if (c.mode().code().equals(code)) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }

  /** The accepted modes' codes for messages, e.g. {@code tcc, saga}. */
  public String codes() {
    return String.join(", ", contracts.keySet().stream().map(Mode::code).toList());
  }

  /** The codes of the modes whose one-shot transactions may run in parallel, e.g. {@code tcc}. */
  public String parallelCodes() {
    List<String> codes = new ArrayList<>();
    for (ModeContract c : contracts.values()) {
      if (c.parallel()) {
        codes.add(c.mode().code());
      }
    }
    return codes.isEmpty() ? "no" : String.join(", ", codes);
  }

  public Collection<ModeContract> all() {
    return List.copyOf(contracts.values());
  }

  @Override
  public String toString() {
    return "ModeContracts[" + codes() + "]";
  }
}
