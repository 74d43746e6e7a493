package dev.cohort.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The legal moves between the values of a status enum. Every status enum of Cohort declares its
 * table once, with one {@code allow(from, to...)} line per value ({@code allow(X)} alone: X is
 * terminal), and answers its own questions from it; building fails when a value has no line, so a
 * status added later cannot be left out of the table by accident.
 *
 * @param <E> the status enum
 */
public final class Transitions<E extends Enum<E>> {
  private final Class<E> type;
  private final Function<E, String> code;
  private final Map<E, Set<E>> next;

  private Transitions(Class<E> type, Function<E, String> code, Map<E, Set<E>> next) {
    this.type = type;
    this.code = code;
    this.next = next;
  }

  /**
   * Starts the table of {@code type}.
   *
   * @param code the readable string a value is stored as
   */
  public static <E extends Enum<E>> Builder<E> of(Class<E> type, Function<E, String> code) {
    return new Builder<>(type, code);
  }

  /** Where {@code from} may move (empty: it is terminal). */
  public Set<E> next(E from) {
    return next.get(from);
  }

  public boolean allows(E from, E to) {
    return next.get(from).contains(to);
  }

  /** The codes of the moves from {@code from}, in declaration order, for error messages. */
  public List<String> codesFrom(E from) {
    return next.get(from).stream().map(code).toList();
  }

  /** The value stored as {@code stored}, if there is one. */
  public Optional<E> find(String stored) {
    for (E value : type.getEnumConstants()) {
      if (code.apply(value).equals(stored)) {
        return Optional.of(value);
      }
    }
    return Optional.empty();
  }

  /** Every legal (from, to) pair, for the test that proves each one is exercised. */
  public List<List<E>> legal() {
    List<List<E>> all = new ArrayList<>();
    for (E from : type.getEnumConstants()) {
      for (E to : next.get(from)) {
        all.add(List.of(from, to));
      }
    }
    return all;
  }

  /** Collects one line per value; {@link #build()} checks that none is missing. */
  public static final class Builder<E extends Enum<E>> {
    private final Class<E> type;
    private final Function<E, String> code;
    private final Map<E, Set<E>> next;

    private Builder(Class<E> type, Function<E, String> code) {
      this.type = type;
      this.code = code;
      this.next = new EnumMap<>(type);
    }

    /** {@code from} may move to each of {@code to}, and nowhere else. */
    @SafeVarargs
    public final Builder<E> allow(E from, E... to) {
      Set<E> targets = EnumSet.noneOf(type);
      for (E target : to) {
        targets.add(target);
      }
      if (next.putIfAbsent(from, Collections.unmodifiableSet(targets)) != null) {
        throw new IllegalStateException(
            type.getSimpleName() + "." + from + " has two allow(...) lines; merge them");
      }
      return this;
    }

    public Transitions<E> build() {
      for (E value : type.getEnumConstants()) {
        if (!next.containsKey(value)) {
          throw new IllegalStateException(
              type.getSimpleName()
                  + "."
                  + value
                  + " has no allow(...) line; add allow("
                  + value
                  + ") if it is terminal");
        }
      }
      return new Transitions<>(type, code, new EnumMap<>(next));
    }
  }
}
