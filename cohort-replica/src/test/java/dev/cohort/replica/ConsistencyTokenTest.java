package dev.cohort.replica;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ConsistencyTokenTest {
  @Test
  void formatsAndParsesBothKinds() {
    ConsistencyToken t =
        ConsistencyToken.of("orders", Position.Lsn.parse("16/B374D848"))
            .merge(ConsistencyToken.of("users", Position.Gtids.parse("0-1-42,1-2-7")));
    assertThat(t.format()).isEqualTo("c1;orders:pg:16/B374D848;users:mdb:0-1-42,1-2-7");
    assertThat(ConsistencyToken.parse(t.format())).isEqualTo(t);
  }

  @Test
  void mergeKeepsTheMaximumPerSource() {
    ConsistencyToken a = ConsistencyToken.parse("c1;orders:pg:0/100;users:mdb:0-1-5,1-1-9");
    ConsistencyToken b = ConsistencyToken.parse("c1;orders:pg:0/80;users:mdb:0-2-7");
    assertThat(a.merge(b).format()).isEqualTo("c1;orders:pg:0/100;users:mdb:0-2-7,1-1-9");
    assertThat(b.merge(a)).isEqualTo(a.merge(b));
  }

  @Test
  void emptyAndBlankAreTheEmptyToken() {
    assertThat(ConsistencyToken.parse(null)).isEqualTo(ConsistencyToken.EMPTY);
    assertThat(ConsistencyToken.parse(" ")).isEqualTo(ConsistencyToken.EMPTY);
    assertThat(ConsistencyToken.parse("c1").isEmpty()).isTrue();
  }

  @Test
  void malformedTokensNameTheExpectedFormat() {
    for (String bad :
        new String[] {
          "v2;x:pg:0/1", "c1;orders", "c1;orders:pg:zz", "c1;or ders:pg:0/1", "c1;o:xx:1"
        }) {
      assertThatThrownBy(() -> ConsistencyToken.parse(bad))
          .isInstanceOf(MalformedTokenException.class)
          .hasMessageContaining("'" + bad + "'")
          .hasMessageContaining("expected c1[;<source>:<pg|mdb>:<position>]");
    }
  }

  @Test
  void oneSourceWithTwoKindsIsMalformed() {
    assertThatThrownBy(() -> ConsistencyToken.parse("c1;acc:pg:0/1;acc:mdb:0-1-5"))
        .isInstanceOf(MalformedTokenException.class)
        .hasMessageContaining("source 'acc' appears as pg and as mdb");
  }

  @Test
  void tooManyEntriesAreRefused() {
    String many = "c1" + ";s:pg:0/1".repeat(ConsistencyToken.MAX_SOURCES + 1);
    assertThatThrownBy(() -> ConsistencyToken.parse(many))
        .isInstanceOf(MalformedTokenException.class)
        .hasMessageContaining("more than " + ConsistencyToken.MAX_SOURCES);
  }

  /**
   * The header is untrusted input: whatever a client sends, parsing either succeeds or throws the
   * typed exception a filter can map to a 400 — never another exception.
   */
  @Test
  void everyMutationOfAValidTokenParsesOrIsMalformed() {
    String valid = "c1;orders:pg:16/B374D848;users:mdb:0-1-42,1-2-7";
    String alphabet = ";:,-/c1pgmdbFZ 0\u0000\u00e9x9";
    java.util.Random random = new java.util.Random(42);
    for (int i = 0; i < 20_000; i++) {
      StringBuilder sb = new StringBuilder(valid);
      for (int edits = 1 + random.nextInt(4); edits > 0; edits--) {
        int at = random.nextInt(sb.length() + 1);
        switch (random.nextInt(3)) {
          case 0 -> sb.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
          case 1 -> {
            if (at < sb.length()) {
              sb.deleteCharAt(at);
            }
          }
          default -> {
            if (at < sb.length()) {
              sb.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length())));
            }
          }
        }
      }
      String mutated = sb.toString();
      try {
        ConsistencyToken parsed = ConsistencyToken.parse(mutated);
        assertThat(ConsistencyToken.parse(parsed.format())).isEqualTo(parsed);
      } catch (MalformedTokenException expected) {
        assertThat(expected.token()).isNotNull();
      }
    }
  }

  @Test
  void gtidsCompareBySequencePerDomain() {
    Position applied = Position.Gtids.parse("0-1-10,1-1-3");
    assertThat(applied.covers(Position.Gtids.parse("0-2-10"))).isTrue();
    assertThat(applied.covers(Position.Gtids.parse("0-1-11"))).isFalse();
    assertThat(applied.covers(Position.Gtids.parse("2-1-1"))).isFalse();
    assertThat(Position.Gtids.parse("0-1-15").transactionsAhead(applied)).isEqualTo(5);
  }

  @Test
  void lsnsCompareAsUnsignedNumbers() {
    Position a = Position.Lsn.parse("1/0");
    Position b = Position.Lsn.parse("0/FFFFFFFF");
    assertThat(a.covers(b)).isTrue();
    assertThat(a.bytesAhead(b)).isEqualTo(1);
    assertThat(a.max(b)).isEqualTo(a);
  }
}
