package dev.cohort.server.console.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HtmlTest {
  @Test
  void textAndAttributesAreEscaped() {
    String evil = "<img src=x onerror='alert(1)'>\"&";
    String html =
        new Html().raw("<p").attr("title", evil).raw(">").text(evil).raw("</p>").toString();
    assertThat(html)
        .isEqualTo(
            "<p title=\"&lt;img src=x onerror=&#39;alert(1)&#39;&gt;&quot;&amp;\">"
                + "&lt;img src=x onerror=&#39;alert(1)&#39;&gt;&quot;&amp;</p>");
  }

  @Test
  void plainTextIsLeftAsItIs() {
    assertThat(Html.escape("order-42 failed")).isEqualTo("order-42 failed");
    assertThat(Html.escape(null)).isEmpty();
  }
}
