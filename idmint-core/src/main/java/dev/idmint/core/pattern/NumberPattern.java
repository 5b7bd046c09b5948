package dev.idmint.core.pattern;

import dev.idmint.core.InvalidIdException;
import dev.idmint.core.internal.Symbols;
import dev.idmint.core.pattern.InvalidPatternException.Problem;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A business-number template such as {@code ORD-{date:yyyyMMdd}-{seq:6}}, parsed and validated
 * once; renders {@code (instant, sequence)} as {@code ORD-20261201-000042}. Immutable.
 *
 * <p>Template grammar. Text outside braces is copied as it is ({@code {{} and {@code }}} stand for
 * one brace). Placeholders:
 *
 * <ul>
 *   <li>{@code {seq:N}}: the sequence, zero-padded to N digits, 1 ≤ N ≤ 18. Exactly one.
 *   <li>{@code {date:P}}: the instant in the template's time zone, formatted with the {@link
 *       DateTimeFormatter} pattern P restricted to fixed-width numeric fields: {@code yyyy} or
 *       {@code yy} ({@code uuuu}, {@code uu}), {@code MM}, {@code dd}, {@code DDD}, {@code HH},
 *       {@code mm}, {@code ss}, {@code S}…{@code SSSSSSSSS}, plus punctuation and quoted text. Any
 *       number of them.
 *   <li>{@code {check:luhn}} or {@code {check:mod97}}: a check digit ({@link CheckDigit}) over
 *       everything rendered before it; after the sequence, at most one.
 * </ul>
 *
 * <p>Design notes: why a number is never issued twice. A number is determined by its period's label
 * and its sequence, and the sequence is unique within the label (one segment counter per label in
 * the coordinator). So the rendered text must give both back, and every refusal at parse time
 * protects one half of that:
 *
 * <ul>
 *   <li>the sequence is fixed-width and must not outgrow it ({@link #format} throws {@link
 *       SequenceExhaustedException}, never wraps or widens);
 *   <li>date fields are fixed-width numbers, so no two dates can render as the same characters
 *       ({@code M}{@code d} would render 1 Nov and 11 Jan both as {@code 111});
 *   <li>the period may not be finer than what the date fields tell apart: with {@code
 *       {date:yyyyMM}} and a daily reset, the 1st and the 2nd of a month would both start at {@code
 *       …-000001}. The period derived when none is given is the finest one the dates do tell apart
 *       (year, month and day, or year and day-of-year, → day; year and month → month; year → year;
 *       else never). A coarser period is allowed: the sequence is then unique over more than the
 *       date shows. Two- digit years repeat after a century, longer than any layout lives.
 * </ul>
 *
 * <p>The instant rendered is the one that decided the period (the coordinator's time, see {@link
 * PatternNumberGenerator}), so a number never shows a day other than the one whose sequence it
 * took. Changes that could repeat a number once the namespace has issued are listed by {@link
 * #unsafeChangesTo}.
 */
public final class NumberPattern {
  /** The widest sequence: 18 digits always fit a positive long. */
  public static final int MAX_WIDTH = 18;

  private static final long[] POWERS_OF_TEN = new long[MAX_WIDTH + 1];

  static {
    POWERS_OF_TEN[0] = 1;
    for (int i = 1; i <= MAX_WIDTH; i++) {
      POWERS_OF_TEN[i] = POWERS_OF_TEN[i - 1] * 10;
    }
  }

  /** Any date of years 1000 to 9999 renders as wide as this one, every field being fixed-width. */
  private static final ZonedDateTime SAMPLE =
      ZonedDateTime.of(2000, 1, 1, 0, 0, 0, 0, java.time.ZoneOffset.UTC);

  private final String template;
  private final ZoneId zone;
  private final Period period;
  private final List<Part> parts;
  private final int width;
  private final long maxSequence;
  private final CheckDigit check;
  private final String shape;

  private NumberPattern(
      String template,
      ZoneId zone,
      Period period,
      List<Part> parts,
      int width,
      CheckDigit check,
      String shape) {
    this.template = template;
    this.zone = zone;
    this.period = period;
    this.parts = List.copyOf(parts);
    this.width = width;
    this.maxSequence = POWERS_OF_TEN[width] - 1;
    this.check = check;
    this.shape = shape;
  }

  /**
   * Parses a template whose period is the finest its date fields tell apart.
   *
   * @throws InvalidPatternException listing every problem with its position
   */
  public static NumberPattern parse(String template, ZoneId zone) {
    return parse(template, zone, null);
  }

  /**
   * Parses a template with the given period, or the derived one when {@code period} is null.
   *
   * @throws InvalidPatternException listing every problem with its position: no sequence, more than
   *     one, a width outside 1..18, an unknown placeholder, an unsupported date field, an unclosed
   *     brace, a misplaced check digit, a period finer than the dates tell apart
   */
  public static NumberPattern parse(String template, ZoneId zone, Period period) {
    Objects.requireNonNull(template, "template");
    Objects.requireNonNull(zone, "zone");
    return new Parser(template).parse(zone, period);
  }

  public String template() {
    return template;
  }

  public ZoneId zone() {
    return zone;
  }

  public Period period() {
    return period;
  }

  /** The sequence's width in digits. */
  public int width() {
    return width;
  }

  /** The largest sequence that fits: {@code 10^width − 1}. */
  public long maxSequence() {
    return maxSequence;
  }

  /** The check digit, or {@code null} when the template has none. */
  public CheckDigit checkDigit() {
    return check;
  }

  /** The label of the period containing {@code at}: {@code 20261201}, {@code 202612}, … */
  public String periodLabel(Instant at) {
    return period.label(at, zone);
  }

  /**
   * Renders one number.
   *
   * @param at the instant that decided the period; its date fields are shown
   * @param sequence the sequence within that period, from 0 up to {@link #maxSequence()}
   * @throws SequenceExhaustedException if {@code sequence} needs more digits than the width
   * @throws IllegalArgumentException if {@code sequence} is negative
   */
  public String format(Instant at, long sequence) {
    if (sequence < 0) {
      throw new IllegalArgumentException("sequence must be >= 0: sequence=" + sequence);
    }
    if (sequence > maxSequence) {
      throw new SequenceExhaustedException(periodLabel(at), width, sequence, period.end(at, zone));
    }
    ZonedDateTime local = at.atZone(zone);
    StringBuilder out = new StringBuilder(template.length() + width);
    for (Part part : parts) {
      if (part instanceof Literal literal) {
        out.append(literal.text);
      } else if (part instanceof DateField date) {
        date.formatter.formatTo(local, out);
      } else if (part instanceof SequenceField) {
        String digits = Long.toString(sequence);
        for (int i = digits.length(); i < width; i++) {
          out.append('0');
        }
        out.append(digits);
      } else {
        out.append(((CheckField) part).check.compute(out));
      }
    }
    return out.toString();
  }

  /**
   * Takes a number of this pattern apart: the label of its period and its sequence, its check digit
   * verified. For inspection; the inverse of {@link #format} for every number it rendered.
   *
   * @throws InvalidIdException naming the position where {@code number} departs from the template:
   *     other text, a date that does not exist, a sequence that is not {@code width} digits, a
   *     wrong check digit, characters left over
   */
  public DecodedNumber decode(String number) {
    Objects.requireNonNull(number, "number");
    int at = 0;
    int year = -1;
    int month = -1;
    int day = -1;
    int dayOfYear = -1;
    long sequence = -1;
    for (Part part : parts) {
      if (part instanceof Literal literal) {
        if (!number.startsWith(literal.text, at)) {
          throw notOurs(number, at, "expected \"" + literal.text + "\"");
        }
        at += literal.text.length();
      } else if (part instanceof DateField date) {
        int end = at + date.width;
        if (end > number.length()) {
          throw notOurs(number, at, "too short for the date");
        }
        TemporalAccessor fields;
        try {
          fields = date.formatter.parse(number.substring(at, end));
        } catch (DateTimeParseException e) {
          throw notOurs(number, at, "not a date of {date:" + date.pattern + "}");
        }
        year = field(fields, ChronoField.YEAR, year);
        month = field(fields, ChronoField.MONTH_OF_YEAR, month);
        day = field(fields, ChronoField.DAY_OF_MONTH, day);
        dayOfYear = field(fields, ChronoField.DAY_OF_YEAR, dayOfYear);
        at = end;
      } else if (part instanceof SequenceField) {
        int end = at + width;
        if (end > number.length()
            || !number.substring(at, end).chars().allMatch(Character::isDigit)) {
          throw notOurs(number, at, "expected " + width + " digits of sequence");
        }
        sequence = Long.parseLong(number.substring(at, end));
        at = end;
      } else {
        CheckDigit digit = ((CheckField) part).check;
        int end = at + digit.length();
        if (end > number.length() || !digit.verify(number.substring(0, end))) {
          throw notOurs(number, at, "wrong " + digit.symbol() + " check digit");
        }
        at = end;
      }
    }
    if (at != number.length()) {
      throw notOurs(number, at, "characters left over");
    }
    String label;
    try {
      label =
          switch (period) {
            case NEVER -> "all";
            case YEAR -> period.label(LocalDate.of(year, 1, 1));
            case MONTH -> period.label(LocalDate.of(year, month, 1));
            case DAY ->
                period.label(
                    day >= 0
                        ? LocalDate.of(year, month, day)
                        : LocalDate.ofYearDay(year, dayOfYear));
          };
    } catch (DateTimeException e) {
      throw notOurs(number, 0, "its date does not exist: " + e.getMessage());
    }
    return new DecodedNumber(number, label, sequence);
  }

  /**
   * A business number taken apart.
   *
   * @param number the number
   * @param periodLabel the label of the period it was issued in ({@code 20261201}, … or {@code
   *     all})
   * @param sequence its sequence within that period
   */
  public record DecodedNumber(String number, String periodLabel, long sequence) {}

  private static int field(TemporalAccessor fields, ChronoField field, int known) {
    return fields.isSupported(field) ? fields.get(field) : known;
  }

  private InvalidIdException notOurs(String number, int position, String why) {
    return new InvalidIdException(
        "\""
            + number
            + "\" is not a number of "
            + template
            + ": "
            + why
            + " at position "
            + position);
  }

  /**
   * What differs between this pattern and {@code next} in a way that could repeat a number already
   * issued under this one: the template (its text, dates or check digit), the sequence width, the
   * period, the time zone. Empty when none does. Once a namespace has issued, such a change is
   * refused; before, it is harmless.
   */
  public List<Change> unsafeChangesTo(NumberPattern next) {
    List<Change> changes = new ArrayList<>();
    if (!shape.equals(next.shape)) {
      changes.add(new Change("template", template, next.template));
    }
    if (width != next.width) {
      changes.add(new Change("width", String.valueOf(width), String.valueOf(next.width)));
    }
    if (period != next.period) {
      changes.add(new Change("period", period.symbol(), next.period.symbol()));
    }
    if (!zone.normalized().equals(next.zone.normalized())) {
      changes.add(new Change("time zone", zone.getId(), next.zone.getId()));
    }
    return changes;
  }

  /**
   * One field whose change could repeat a number.
   *
   * @param field {@code template}, {@code width}, {@code period} or {@code time zone}
   * @param from the value before
   * @param to the value after
   */
  public record Change(String field, String from, String to) {}

  @Override
  public boolean equals(Object o) {
    return o instanceof NumberPattern other
        && template.equals(other.template)
        && zone.equals(other.zone)
        && period == other.period;
  }

  @Override
  public int hashCode() {
    return Objects.hash(template, zone, period);
  }

  @Override
  public String toString() {
    return "NumberPattern[" + template + ", zone=" + zone + ", period=" + period.symbol() + "]";
  }

  private sealed interface Part permits Literal, DateField, SequenceField, CheckField {}

  private record Literal(String text) implements Part {}

  /** A date placeholder; {@code width} is how many characters it renders (all fields fixed). */
  private record DateField(String pattern, DateTimeFormatter formatter, int width)
      implements Part {}

  private record SequenceField(int width) implements Part {}

  private record CheckField(CheckDigit check) implements Part {}

  /** One pass over the template, collecting every problem with its position. */
  private static final class Parser {
    private final String template;
    private final List<Problem> problems = new ArrayList<>();
    private final List<Part> parts = new ArrayList<>();
    private final StringBuilder shape = new StringBuilder();
    private final StringBuilder literal = new StringBuilder();
    private int width;
    private int sequenceAt = -1;
    private CheckDigit check;
    private int firstDateAt = -1;
    private boolean year;
    private boolean month;
    private boolean dayOfMonth;
    private boolean dayOfYear;

    Parser(String template) {
      this.template = template;
    }

    NumberPattern parse(ZoneId zone, Period given) {
      int n = template.length();
      int i = 0;
      while (i < n) {
        char c = template.charAt(i);
        if ((c == '{' || c == '}') && i + 1 < n && template.charAt(i + 1) == c) {
          literal.append(c);
          i += 2;
        } else if (c == '{') {
          int close = template.indexOf('}', i + 1);
          if (close < 0) {
            problems.add(new Problem(i, "'{' is never closed; write {{ for a literal brace"));
            break;
          }
          flushLiteral();
          placeholder(template.substring(i + 1, close), i);
          i = close + 1;
        } else if (c == '}') {
          problems.add(new Problem(i, "'}' closes nothing; write }} for a literal brace"));
          i++;
        } else {
          literal.append(c);
          i++;
        }
      }
      flushLiteral();
      if (sequenceAt < 0) {
        problems.add(
            new Problem(
                n, "the template has no sequence: add {seq:N}, N digits from 1 to " + MAX_WIDTH));
      }
      Period identified = identified();
      Period period = given == null ? identified : given;
      if (period.finerThan(identified)) {
        problems.add(
            new Problem(
                Math.max(0, firstDateAt),
                "period "
                    + period.symbol()
                    + " is finer than what the template's dates tell apart ("
                    + (identified == Period.NEVER ? "nothing" : identified.symbol())
                    + "): two "
                    + period.symbol()
                    + "s would render alike and both start the sequence again; show the "
                    + period.symbol()
                    + " (e.g. {date:"
                    + example(period)
                    + "}) or choose period "
                    + identified.symbol()));
      }
      if (!problems.isEmpty()) {
        throw new InvalidPatternException(template, problems);
      }
      return new NumberPattern(template, zone, period, parts, width, check, shape.toString());
    }

    private void placeholder(String body, int at) {
      int colon = body.indexOf(':');
      String name = colon < 0 ? body : body.substring(0, colon);
      String argument = colon < 0 ? null : body.substring(colon + 1);
      switch (name) {
        case "seq" -> sequence(argument, at);
        case "date" -> date(argument, at);
        case "check" -> check(argument, at);
        default ->
            problems.add(
                new Problem(at, "unknown placeholder {" + body + "}; known: date, seq, check"));
      }
    }

    private void sequence(String argument, int at) {
      if (sequenceAt >= 0) {
        problems.add(new Problem(at, "a second {seq}; the first is at position " + sequenceAt));
        return;
      }
      sequenceAt = at;
      int parsed = -1;
      if (argument != null && argument.matches("[0-9]{1,3}")) {
        parsed = Integer.parseInt(argument);
      }
      if (parsed < 1 || parsed > MAX_WIDTH) {
        problems.add(
            new Problem(
                at,
                "sequence width must be a number from 1 to "
                    + MAX_WIDTH
                    + ": {seq:"
                    + (argument == null ? "" : argument)
                    + "}"));
        parsed = 1;
      }
      width = parsed;
      parts.add(new SequenceField(parsed));
      shape.append("{seq}");
    }

    private void date(String argument, int at) {
      if (firstDateAt < 0) {
        firstDateAt = at;
      }
      if (argument == null || argument.isEmpty()) {
        problems.add(new Problem(at, "{date} needs a pattern, e.g. {date:yyyyMMdd}"));
        return;
      }
      int before = problems.size();
      fields(argument, at);
      if (problems.size() > before) {
        return;
      }
      try {
        DateTimeFormatter formatter = DateTimeFormatter.ofPattern(argument, Locale.ROOT);
        int rendered = formatter.format(SAMPLE).length();
        parts.add(new DateField(argument, formatter, rendered));
        shape.append("{date:").append(argument).append('}');
      } catch (IllegalArgumentException | DateTimeException e) {
        problems.add(
            new Problem(at, "date pattern " + argument + " is invalid: " + e.getMessage()));
      }
    }

    /** Checks the letters of a date pattern and notes which calendar fields it shows. */
    private void fields(String pattern, int at) {
      int i = 0;
      while (i < pattern.length()) {
        char c = pattern.charAt(i);
        if (c == '\'') {
          int close = pattern.indexOf('\'', i + 1);
          if (close < 0) {
            problems.add(new Problem(at, "date pattern " + pattern + " has an unclosed quote"));
            return;
          }
          i = close + 1;
          continue;
        }
        int run = 1;
        while (i + run < pattern.length() && pattern.charAt(i + run) == c) {
          run++;
        }
        boolean fixed =
            switch (c) {
              case 'y', 'u' -> {
                year = true;
                yield run == 2 || run == 4;
              }
              case 'M' -> {
                month = true;
                yield run == 2;
              }
              case 'd' -> {
                dayOfMonth = true;
                yield run == 2;
              }
              case 'D' -> {
                dayOfYear = true;
                yield run == 3;
              }
              case 'H', 'm', 's' -> run == 2;
              case 'S' -> run <= 9;
              default -> !Character.isLetter(c) && c != '[' && c != ']' && c != '#';
            };
        if (!fixed) {
          problems.add(
              new Problem(
                  at,
                  "date field "
                      + String.valueOf(c).repeat(run)
                      + " in {date:"
                      + pattern
                      + "} is not a fixed-width number; use yyyy or yy, MM, dd, DDD, HH, mm, ss"
                      + " or S…"));
        }
        i += run;
      }
    }

    private void check(String argument, int at) {
      CheckDigit parsed =
          Symbols.find(CheckDigit.values(), CheckDigit::symbol, argument).orElse(null);
      if (parsed == null) {
        problems.add(
            new Problem(
                at,
                "check digit must be {check:luhn} or {check:mod97}: {check"
                    + (argument == null ? "" : ":" + argument)
                    + "}"));
        return;
      }
      if (check != null) {
        problems.add(new Problem(at, "a second check digit; a template has at most one"));
        return;
      }
      if (sequenceAt < 0) {
        problems.add(new Problem(at, "a check digit must come after the {seq} it protects"));
        return;
      }
      check = parsed;
      parts.add(new CheckField(parsed));
      shape.append("{check:").append(argument).append('}');
    }

    private void flushLiteral() {
      if (literal.length() > 0) {
        parts.add(new Literal(literal.toString()));
        for (int i = 0; i < literal.length(); i++) {
          char c = literal.charAt(i);
          shape.append(c == '{' || c == '}' ? String.valueOf(c).repeat(2) : String.valueOf(c));
        }
        literal.setLength(0);
      }
    }

    /** The finest period the date fields shown tell apart. */
    private Period identified() {
      if (year && ((month && dayOfMonth) || dayOfYear)) {
        return Period.DAY;
      }
      if (year && month) {
        return Period.MONTH;
      }
      return year ? Period.YEAR : Period.NEVER;
    }

    private static String example(Period period) {
      return switch (period) {
        case DAY -> "yyyyMMdd";
        case MONTH -> "yyyyMM";
        default -> "yyyy";
      };
    }
  }
}
