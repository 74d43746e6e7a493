package dev.cohort.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class TransitionsTest {
  enum Light {
    RED,
    GREEN,
    OFF;

    String code() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private static Transitions.Builder<Light> table() {
    return Transitions.of(Light.class, Light::code);
  }

  @Test
  void answersFromTheDeclaredLines() {
    Transitions<Light> moves =
        table()
            .allow(Light.RED, Light.GREEN, Light.OFF)
            .allow(Light.GREEN, Light.RED)
            .allow(Light.OFF)
            .build();

    assertThat(moves.allows(Light.RED, Light.GREEN)).isTrue();
    assertThat(moves.allows(Light.GREEN, Light.OFF)).isFalse();
    assertThat(moves.next(Light.OFF)).isEmpty();
    assertThat(moves.codesFrom(Light.RED)).containsExactly("green", "off");
    assertThat(moves.find("green")).contains(Light.GREEN);
    assertThat(moves.find("blue")).isEmpty();
    assertThat(moves.legal())
        .containsExactly(
            List.of(Light.RED, Light.GREEN),
            List.of(Light.RED, Light.OFF),
            List.of(Light.GREEN, Light.RED));
  }

  @Test
  void aValueWithoutALineIsRefused() {
    assertThatThrownBy(() -> table().allow(Light.RED, Light.GREEN).allow(Light.GREEN).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Light.OFF has no allow(...) line; add allow(OFF) if it is terminal");
  }

  @Test
  void twoLinesForOneValueAreRefused() {
    assertThatThrownBy(() -> table().allow(Light.RED, Light.GREEN).allow(Light.RED, Light.OFF))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Light.RED has two allow(...) lines; merge them");
  }
}
