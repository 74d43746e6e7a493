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
