package dev.idmint.core.pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.idmint.core.InvalidIdException;
import dev.idmint.core.pattern.InvalidPatternException.Problem;
import dev.idmint.core.pattern.NumberPattern.Change;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class NumberPatternTest {
  private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
  private static final Instant NOON = Instant.parse("2026-12-01T04:00:00Z"); // 12:00 in Shanghai

  private static InvalidPatternException refused(String template) {
    return refused(template, null);
  }

  private static InvalidPatternException refused(String template, Period period) {
    try {
      NumberPattern.parse(template, SHANGHAI, period);
    } catch (InvalidPatternException e) {
      return e;
    }
    throw new AssertionError("accepted: " + template);
  }

  @Test
  void theIssueExampleRendersAndResetsDaily() {
    NumberPattern pattern = NumberPattern.parse("ORD-{date:yyyyMMdd}-{seq:6}", SHANGHAI);

    assertThat(pattern.format(NOON, 42)).isEqualTo("ORD-20261201-000042");
    assertThat(pattern.period()).isEqualTo(Period.DAY);
    assertThat(pattern.width()).isEqualTo(6);
    assertThat(pattern.maxSequence()).isEqualTo(999_999);
    assertThat(pattern.periodLabel(NOON)).isEqualTo("20261201");
    assertThat(pattern.checkDigit()).isNull();
  }

  @Test
  void theDateIsTheTemplatesZonesDate() {
    Instant lateUtc = Instant.parse("2026-12-01T16:30:00Z"); // 00:30 on the 2nd in Shanghai
    assertThat(NumberPattern.parse("ORD-{date:yyyyMMdd}-{seq:3}", SHANGHAI).format(lateUtc, 1))
        .isEqualTo("ORD-20261202-001");
    assertThat(
            NumberPattern.parse("ORD-{date:yyyyMMdd}-{seq:3}", ZoneOffset.UTC).format(lateUtc, 1))
        .isEqualTo("ORD-20261201-001");
    assertThat(
            NumberPattern.parse("{date:yyyy-MM-dd'T'HH:mm:ss.SSS}/{seq:2}", SHANGHAI)
                .format(lateUtc, 7))
        .isEqualTo("2026-12-02T00:30:00.000/07");
  }

  @Test
  void thePeriodIsDerivedFromWhatTheDatesTellApart() {
    assertThat(NumberPattern.parse("{date:yyyyMM}{seq:4}", SHANGHAI).period())
        .isEqualTo(Period.MONTH);
    assertThat(NumberPattern.parse("{date:yyyy}{seq:4}", SHANGHAI).period()).isEqualTo(Period.YEAR);
    assertThat(NumberPattern.parse("{date:yyDDD}{seq:4}", SHANGHAI).period()).isEqualTo(Period.DAY);
    assertThat(NumberPattern.parse("{date:yyyy}-{date:MM}{seq:4}", SHANGHAI).period())
        .isEqualTo(Period.MONTH);
    assertThat(NumberPattern.parse("{date:MMdd}{seq:4}", SHANGHAI).period())
        .as("no year: days recur every year, so the sequence never resets")
        .isEqualTo(Period.NEVER);
    assertThat(NumberPattern.parse("N{seq:4}", SHANGHAI).period()).isEqualTo(Period.NEVER);
  }

  @Test
  void aCoarserPeriodIsAllowedAndAFinerOneRefusedAtTheDate() {
    assertThat(NumberPattern.parse("{date:yyyyMMdd}{seq:4}", SHANGHAI, Period.MONTH).period())
        .isEqualTo(Period.MONTH);
    assertThat(NumberPattern.parse("{date:yyyyMMdd}{seq:4}", SHANGHAI, Period.NEVER).period())
        .isEqualTo(Period.NEVER);

    InvalidPatternException e = refused("INV-{date:yyyyMM}-{seq:4}", Period.DAY);
    assertThat(e.position()).isEqualTo(4);
    assertThat(e.getMessage())
        .contains("period day is finer than what the template's dates tell apart (month)")
        .contains("{date:yyyyMMdd}");
    assertThat(refused("INV-{seq:4}", Period.YEAR).getMessage()).contains("(nothing)");
  }

  @Test
  void everyRefusalNamesItsPosition() {
    assertThat(refused("ORD-{date:yyyyMMdd}").problems())
        .containsExactly(
            new Problem(19, "the template has no sequence: add {seq:N}, N digits from 1 to 18"));
    assertThat(refused("A-{foo}-{seq:3}").problems())
        .containsExactly(new Problem(2, "unknown placeholder {foo}; known: date, seq, check"));
    for (String width : List.of("A{seq:0}", "A{seq:19}", "A{seq:x}", "A{seq}", "A{seq:-1}")) {
      InvalidPatternException e = refused(width);
      assertThat(e.position()).as(width).isEqualTo(1);
      assertThat(e.getMessage()).as(width).contains("sequence width must be a number from 1 to 18");
    }
    assertThat(refused("A{seq:18}B{seq:3}").problems().get(0))
        .isEqualTo(new Problem(10, "a second {seq}; the first is at position 1"));
    assertThat(refused("A{seq:3").position()).isEqualTo(1);
    assertThat(refused("A}{seq:3}").problems().get(0).message()).contains("write }}");
    assertThat(refused("{check:luhn}{seq:3}").problems().get(0))
        .isEqualTo(new Problem(0, "a check digit must come after the {seq} it protects"));
    assertThat(refused("{seq:3}{check:crc}").position()).isEqualTo(7);
    assertThat(refused("{seq:3}{check:luhn}{check:mod97}").position()).isEqualTo(19);
    assertThat(refused("{date:}{seq:2}").getMessage()).contains("needs a pattern");
    InvalidPatternException notFixed = refused("X{date:yyyyMd}{seq:3}");
    assertThat(notFixed.position()).isEqualTo(1);
    assertThat(notFixed.problems()).hasSize(2);
    assertThat(notFixed.getMessage()).contains("date field M ").contains("date field d ");
    assertThat(refused("{date:yyyyMMMdd}{seq:3}").getMessage()).contains("date field MMM ");
    assertThat(refused("{date:YYYYMMdd}{seq:3}").getMessage()).contains("date field YYYY ");
  }

  @Test
  void allProblemsAreReportedAtOnceInTemplateOrder() {
    InvalidPatternException e = refused("X{foo}{seq:0}{bar}");
    assertThat(e.problems()).extracting(Problem::position).containsExactly(1, 6, 13);
    assertThat(e.template()).isEqualTo("X{foo}{seq:0}{bar}");
  }

  @Test
  void doubledBracesAreLiteral() {
    assertThat(NumberPattern.parse("{{A}}-{seq:2}", SHANGHAI).format(NOON, 7)).isEqualTo("{A}-07");
  }

  @Test
  void aSequenceThatOutgrowsItsWidthIsRefusedNeverWrapped() {
    NumberPattern pattern = NumberPattern.parse("D{date:yyyyMMdd}-{seq:2}", SHANGHAI);
    assertThat(pattern.format(NOON, 99)).isEqualTo("D20261201-99");
    assertThatThrownBy(() -> pattern.format(NOON, 100))
        .isInstanceOfSatisfying(
            SequenceExhaustedException.class,
            e -> {
              assertThat(e.periodLabel()).isEqualTo("20261201");
              assertThat(e.width()).isEqualTo(2);
              assertThat(e.sequence()).isEqualTo(100);
              assertThat(e.nextPeriodStart()).contains(Instant.parse("2026-12-01T16:00:00Z"));
            });
    NumberPattern forever = NumberPattern.parse("N{seq:18}", SHANGHAI);
    assertThat(forever.format(NOON, 999_999_999_999_999_999L)).isEqualTo("N999999999999999999");
    assertThatThrownBy(() -> forever.format(NOON, 1_000_000_000_000_000_000L))
        .isInstanceOfSatisfying(
            SequenceExhaustedException.class, e -> assertThat(e.nextPeriodStart()).isEmpty());
    assertThatThrownBy(() -> forever.format(NOON, -1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void checkDigitsCoverTheTextBeforeThem() {
    assertThat(NumberPattern.parse("{seq:10}{check:luhn}", SHANGHAI).format(NOON, 7992739871L))
        .isEqualTo("79927398713");
    assertThat(NumberPattern.parse("{seq:3}{check:mod97}", SHANGHAI).format(NOON, 794))
        .isEqualTo("79444");
    // The IBAN example's check, as a template: the letters count too.
    assertThat(
            NumberPattern.parse("WEST{seq:14}GB{check:mod97}", SHANGHAI)
                .format(NOON, 12_345_698_765_432L))
        .isEqualTo("WEST12345698765432GB82");
    NumberPattern dated = NumberPattern.parse("ORD-{date:yyyyMMdd}-{seq:6}{check:luhn}", SHANGHAI);
    String number = dated.format(NOON, 42);
    assertThat(number).startsWith("ORD-20261201-000042").hasSize(20);
    assertThat(CheckDigit.LUHN.verify(number)).isTrue();
    assertThat(dated.checkDigit()).isEqualTo(CheckDigit.LUHN);
  }

  @Test
  void changesThatCouldRepeatANumberAreNamed() {
    NumberPattern base = NumberPattern.parse("ORD-{date:yyyyMMdd}-{seq:6}", SHANGHAI);
    assertThat(base.unsafeChangesTo(NumberPattern.parse("ORD-{date:yyyyMMdd}-{seq:6}", SHANGHAI)))
        .isEmpty();
    assertThat(base.unsafeChangesTo(NumberPattern.parse("ORD-{date:yyyyMMdd}-{seq:7}", SHANGHAI)))
        .containsExactly(new Change("width", "6", "7"));
    assertThat(base.unsafeChangesTo(NumberPattern.parse("SO-{date:yyyyMMdd}-{seq:6}", SHANGHAI)))
        .containsExactly(
            new Change("template", "ORD-{date:yyyyMMdd}-{seq:6}", "SO-{date:yyyyMMdd}-{seq:6}"));
    assertThat(
            base.unsafeChangesTo(
                NumberPattern.parse("ORD-{date:yyyyMMdd}-{seq:6}{check:luhn}", SHANGHAI)))
        .extracting(Change::field)
        .containsExactly("template");
    assertThat(
            base.unsafeChangesTo(
                NumberPattern.parse("ORD-{date:yyyyMMdd}-{seq:6}", SHANGHAI, Period.MONTH)))
        .containsExactly(new Change("period", "day", "month"));
    assertThat(
            base.unsafeChangesTo(
                NumberPattern.parse("ORD-{date:yyyyMMdd}-{seq:6}", ZoneId.of("Europe/Paris"))))
        .containsExactly(new Change("time zone", "Asia/Shanghai", "Europe/Paris"));
    assertThat(
            base.unsafeChangesTo(
                NumberPattern.parse("SO-{date:yyyyMM}-{seq:4}", ZoneOffset.UTC, Period.YEAR)))
        .extracting(Change::field)
        .containsExactly("template", "width", "period", "time zone");
    NumberPattern utc = NumberPattern.parse("N{seq:3}", ZoneId.of("UTC"));
    assertThat(utc.unsafeChangesTo(NumberPattern.parse("N{seq:3}", ZoneOffset.UTC)))
        .as("two names of one zone")
        .isEmpty();
  }

  @Test
  void periodsNameAndBoundTheirDaysAcrossDaylightSaving() {
    ZoneId newYork = ZoneId.of("America/New_York");
    Instant inShortDay = Instant.parse("2026-03-08T12:00:00Z"); // clocks spring forward that day
    assertThat(Period.DAY.label(inShortDay, newYork)).isEqualTo("20260308");
    assertThat(Period.DAY.start(inShortDay, newYork))
        .isEqualTo(Instant.parse("2026-03-08T05:00:00Z"));
    assertThat(Period.DAY.end(inShortDay, newYork))
        .isEqualTo(Instant.parse("2026-03-09T04:00:00Z"));
    assertThat(Period.MONTH.label(inShortDay, newYork)).isEqualTo("202603");
    assertThat(Period.YEAR.end(inShortDay, newYork))
        .isEqualTo(Instant.parse("2027-01-01T05:00:00Z"));
    assertThat(Period.NEVER.label(inShortDay, newYork)).isEqualTo("all");
    assertThat(Period.NEVER.end(inShortDay, newYork)).isEqualTo(Instant.MAX);
    assertThat(Period.fromSymbol("month")).isEqualTo(Period.MONTH);
    assertThatThrownBy(() -> Period.fromSymbol("week"))
        .hasMessageContaining("day, month, year, never");
  }

  @Test
  void decodeGivesBackThePeriodAndTheSequence() {
    NumberPattern daily = NumberPattern.parse("ORD-{date:yyyyMMdd}-{seq:6}{check:luhn}", SHANGHAI);
    String number = daily.format(NOON, 42);
    assertThat(daily.decode(number))
        .isEqualTo(new NumberPattern.DecodedNumber(number, "20261201", 42));
    NumberPattern monthly =
        NumberPattern.parse("{date:yyyyMM}/{date:dd}-{seq:3}", SHANGHAI, Period.MONTH);
    assertThat(monthly.decode(monthly.format(NOON, 7)).periodLabel()).isEqualTo("202612");
    NumberPattern ordinal = NumberPattern.parse("{date:yyDDD}{seq:3}{check:mod97}", SHANGHAI);
    assertThat(ordinal.decode(ordinal.format(NOON, 999)))
        .extracting(NumberPattern.DecodedNumber::periodLabel, NumberPattern.DecodedNumber::sequence)
        .containsExactly("20261201", 999L);
    assertThat(NumberPattern.parse("N{seq:2}", SHANGHAI).decode("N05").periodLabel())
        .isEqualTo("all");

    assertThatThrownBy(() -> daily.decode("SO-20261201-0000424"))
        .isInstanceOf(InvalidIdException.class)
        .hasMessageContaining("expected \"ORD-\" at position 0");
    assertThatThrownBy(
            () -> daily.decode(number.substring(0, 19) + ((number.charAt(19) - '0' + 1) % 10)))
        .hasMessageContaining("wrong luhn check digit at position 19");
    assertThatThrownBy(() -> daily.decode("ORD-20261301-0000421"))
        .hasMessageContaining("at position 4");
    assertThatThrownBy(() -> daily.decode("ORD-20261201-00a042"))
        .hasMessageContaining("6 digits of sequence at position 13");
    assertThatThrownBy(() -> daily.decode(number + "X"))
        .hasMessageContaining("characters left over at position 20");
  }
}
