package dev.cohort.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cohort.api.InvalidInputException;
import dev.cohort.api.Mode;
import java.net.URI;
import org.junit.jupiter.api.Test;

class HttpTargetTest {
  @Test
  void tccTargetSurvivesTheLog() {
    HttpTarget t =
        HttpTarget.tcc(
            URI.create("http://a:1/try"),
            URI.create("http://a:1/confirm"),
            URI.create("https://a:1/cancel?x=1"),
            "{\"qty\":2}");
    HttpTarget back = HttpTarget.decode(t.encode());
    assertThat(back).isEqualTo(t);
    assertThat(back.url(Operation.CONFIRM)).isEqualTo(URI.create("http://a:1/confirm"));
  }

  @Test
  void sagaTargetHasNoConfirm() {
    HttpTarget t = HttpTarget.saga(URI.create("http://a/act"), URI.create("http://a/undo"), null);
    assertThat(HttpTarget.decode(t.encode())).isEqualTo(t);
    assertThat(t.body()).isEqualTo("null");
    assertThat(t.mode()).isEqualTo(Mode.SAGA);
    assertThatThrownBy(() -> t.url(Operation.CONFIRM))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("no 'confirm'");
  }

  @Test
  void badUrlsSayWhichFieldAndWhy() {
    assertThatThrownBy(() -> HttpTarget.parseUrl("try", "ftp://x/y"))
        .hasMessageContaining("'try' must be an absolute http or https URL");
    assertThatThrownBy(() -> HttpTarget.parseUrl("cancel", "/relative"))
        .hasMessageContaining("'cancel'");
    assertThatThrownBy(() -> HttpTarget.parseUrl("action", "http://bad host/"))
        .hasMessageContaining("'action' is not a URL");
    assertThatThrownBy(() -> HttpTarget.parseUrl("confirm", null))
        .hasMessageContaining("'confirm' needs");
  }

  @Test
  void aForeignPayloadIsNotATarget() {
    assertThatThrownBy(() -> HttpTarget.decode("{\"sku\":1}"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("version 1");
    assertThatThrownBy(() -> HttpTarget.decode("not json"))
        .isInstanceOf(InvalidInputException.class);
  }
}
