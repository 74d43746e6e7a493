package dev.cohort.examples.shop.common;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * The status transitions a service has made since it started, for the transition-coverage check of
 * the tests ({@code GET /admin/state} reports them as {@code transitions}).
 */
public final class TransitionLog {
  private final Set<String> seen = new LinkedHashSet<>();

  synchronized void record(Enum<?> from, Enum<?> to) {
    seen.add(name(from) + "->" + name(to));
  }

  public synchronized Set<String> seen() {
    return new TreeSet<>(seen);
  }

  /** Every legal transition of {@code type}, spelled like {@link #seen}. */
  public static <S extends Enum<S> & StatusMachine<S>> Set<String> legal(Class<S> type) {
    Set<String> all = new TreeSet<>();
    for (S from : type.getEnumConstants()) {
      for (S to : from.next()) {
        all.add(name(from) + "->" + name(to));
      }
    }
    return all;
  }

  private static String name(Enum<?> status) {
    return status.getDeclaringClass().getSimpleName() + "." + status.name();
  }
}
