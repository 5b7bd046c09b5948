package dev.idmint.core.pattern;

import dev.idmint.core.InvalidConfigurationException;
import dev.idmint.core.internal.Symbols;

/**
 * A check digit appended to a business number, computed over the text rendered before it.
 *
 * <ul>
 *   <li>{@link #LUHN}: one digit, the Luhn (mod 10) algorithm of ISO/IEC 7812-1, over the digits of
 *       the text; other characters are skipped. Detects every single-digit error and most adjacent
 *       transpositions (not 09 ↔ 90).
 *   <li>{@link #MOD97_10}: two digits, ISO/IEC 7064 MOD 97-10 as IBAN (ISO 13616) and LEI (ISO
 *       17442) use it: letters count as two digits ({@code A}=10 … {@code Z}=35, either case),
 *       other characters are skipped, and the check is {@code 98 − (n × 100 mod 97)}, so that
 *       {@code n} followed by the check is 1 mod 97. Detects every single substitution and
 *       transposition.
 * </ul>
 */
public enum CheckDigit {
  LUHN("luhn", 1),
  MOD97_10("mod97", 2);

  private final String symbol;
  private final int length;

  CheckDigit(String symbol, int length) {
    this.symbol = symbol;
    this.length = length;
  }

  /** The name in a template, {@code {check:luhn}} or {@code {check:mod97}}. */
  public String symbol() {
    return symbol;
  }

  /** How many characters the check adds: 1 for Luhn, 2 for MOD 97-10. */
  public int length() {
    return length;
  }

  /** The check characters for {@code text}. */
  public String compute(CharSequence text) {
    return this == LUHN ? String.valueOf(luhn(text)) : mod97(text);
  }

  /**
   * True when {@code text} ends with the check of everything before it: the digits (Luhn) or the
   * last two characters (MOD 97-10).
   */
  public boolean verify(CharSequence text) {
    if (text.length() < length) {
      return false;
    }
    int split = text.length() - length;
    return compute(text.subSequence(0, split))
        .contentEquals(text.subSequence(split, text.length()));
  }

  private static int luhn(CharSequence text) {
    int sum = 0;
    boolean doubled = true; // the digit next to the check digit is doubled
    for (int i = text.length() - 1; i >= 0; i--) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        continue;
      }
      int digit = c - '0';
      if (doubled) {
        digit *= 2;
        if (digit > 9) {
          digit -= 9;
        }
      }
      sum += digit;
      doubled = !doubled;
    }
    return (10 - sum % 10) % 10;
  }

  private static String mod97(CharSequence text) {
    int remainder = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c >= '0' && c <= '9') {
        remainder = (remainder * 10 + (c - '0')) % 97;
      } else if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')) {
        int value = Character.toUpperCase(c) - 'A' + 10;
        remainder = (remainder * 100 + value) % 97;
      }
    }
    int check = 98 - (remainder * 100) % 97;
    return check < 10 ? "0" + check : String.valueOf(check);
  }

  /**
   * Parses a template name.
   *
   * @throws InvalidConfigurationException naming the accepted values
   */
  public static CheckDigit fromSymbol(String symbol) {
    return Symbols.parse(
        "number pattern", "check digit", "check", values(), CheckDigit::symbol, symbol);
  }
}
