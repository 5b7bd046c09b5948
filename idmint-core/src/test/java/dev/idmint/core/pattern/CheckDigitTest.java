package dev.idmint.core.pattern;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class CheckDigitTest {

  @Test
  void luhnMatchesPublishedExamples() {
    // ISO/IEC 7812-1 Luhn, the worked example of its Wikipedia article: 7992739871 → 3.
    assertThat(CheckDigit.LUHN.compute("7992739871")).isEqualTo("3");
    assertThat(CheckDigit.LUHN.verify("79927398713")).isTrue();
    assertThat(CheckDigit.LUHN.verify("79927398710")).isFalse();
    // Card networks' published test numbers (Visa, Mastercard, American Express).
    assertThat(CheckDigit.LUHN.verify("4111111111111111")).isTrue();
    assertThat(CheckDigit.LUHN.verify("5555555555554444")).isTrue();
    assertThat(CheckDigit.LUHN.verify("378282246310005")).isTrue();
    assertThat(CheckDigit.LUHN.verify("4111-1111-1111-1111")).as("separators skipped").isTrue();
    assertThat(CheckDigit.LUHN.verify("4111111111111112")).isFalse();
  }

  @Test
  void mod97MatchesPublishedExamples() {
    // ISO/IEC 7064's own example for MOD 97-10: 794 → check digits 44.
    assertThat(CheckDigit.MOD97_10.compute("794")).isEqualTo("44");
    assertThat(CheckDigit.MOD97_10.verify("79444")).isTrue();
    // IBAN (ISO 13616) examples: the check digits are MOD 97-10 over BBAN + country code.
    assertThat(CheckDigit.MOD97_10.compute("WEST12345698765432GB")).isEqualTo("82"); // GB82 WEST…
    assertThat(CheckDigit.MOD97_10.compute("370400440532013000DE")).isEqualTo("89"); // DE89 3704…
    assertThat(CheckDigit.MOD97_10.compute("west12345698765432gb")).isEqualTo("82");
    assertThat(CheckDigit.MOD97_10.verify("WEST12345698765432GB82")).isTrue();
    assertThat(CheckDigit.MOD97_10.verify("WEST12345698765432GB28")).isFalse();
    assertThat(CheckDigit.MOD97_10.compute("1")).as("always two digits").hasSize(2);
  }

  @Property
  void luhnCatchesEverySingleDigitError(
      @ForAll @LongRange(min = 1, max = 999_999_999_999L) long number,
      @ForAll @IntRange(min = 0, max = 11) int position,
      @ForAll @IntRange(min = 1, max = 9) int delta) {
    String body = String.format("%012d", number);
    String valid = body + CheckDigit.LUHN.compute(body);
    char[] wrong = valid.toCharArray();
    wrong[position] = (char) ('0' + (wrong[position] - '0' + delta) % 10);
    assertThat(CheckDigit.LUHN.verify(valid)).isTrue();
    assertThat(CheckDigit.LUHN.verify(new String(wrong))).isFalse();
  }

  @Property
  void mod97CatchesEverySubstitutionAndAdjacentTransposition(
      @ForAll @LongRange(min = 1, max = 999_999_999_999L) long number,
      @ForAll @IntRange(min = 0, max = 10) int position,
      @ForAll @IntRange(min = 1, max = 9) int delta) {
    String body = String.format("%012d", number);
    String valid = body + CheckDigit.MOD97_10.compute(body);
    char[] substituted = valid.toCharArray();
    substituted[position] = (char) ('0' + (substituted[position] - '0' + delta) % 10);
    assertThat(CheckDigit.MOD97_10.verify(valid)).isTrue();
    assertThat(CheckDigit.MOD97_10.verify(new String(substituted))).isFalse();
    char[] swapped = valid.toCharArray();
    if (swapped[position] != swapped[position + 1]) {
      char c = swapped[position];
      swapped[position] = swapped[position + 1];
      swapped[position + 1] = c;
      assertThat(CheckDigit.MOD97_10.verify(new String(swapped))).isFalse();
    }
  }
}
