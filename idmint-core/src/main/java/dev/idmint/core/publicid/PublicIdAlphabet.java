package dev.idmint.core.publicid;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The digits a public ID's body is written in. Every alphabet lists its digits in ASCII order, so
 * among public IDs of one key version string order is the order of the encrypted values (which, by
 * design, says nothing about the order of the raw IDs).
 */
public enum PublicIdAlphabet {
  /**
   * {@code 0-9A-Za-z}, case-sensitive; 11 characters hold 63 bits. The default: shortest, and safe
   * in URLs, file names and JSON without escaping.
   */
  BASE62("base62", "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", false),

  /**
   * Douglas Crockford's base32, written in lower case; 13 characters hold 63 bits. Decoding ignores
   * case in the whole public ID and reads {@code i}/{@code l} as 1 and {@code o} as 0, so it
   * survives being read aloud or typed from paper. {@code u} is not a digit.
   */
  CROCKFORD32("crockford32", "0123456789abcdefghjkmnpqrstvwxyz", true);

  private final String configName;
  private final char[] digits;
  private final byte[] valueByChar;
  private final boolean caseInsensitive;
  private final int bodyLength;

  PublicIdAlphabet(String configName, String digits, boolean caseInsensitive) {
    this.configName = configName;
    this.digits = digits.toCharArray();
    this.caseInsensitive = caseInsensitive;
    this.valueByChar = new byte[128];
    Arrays.fill(valueByChar, (byte) -1);
    for (int d = 0; d < this.digits.length; d++) {
      char c = this.digits[d];
      valueByChar[c] = (byte) d;
      if (caseInsensitive) {
        valueByChar[Character.toUpperCase(c)] = (byte) d;
      }
    }
    if (caseInsensitive) {
      valueByChar['i'] = valueByChar['I'] = valueByChar['l'] = valueByChar['L'] = 1;
      valueByChar['o'] = valueByChar['O'] = 0;
    }
    int length = 0;
    for (double reach = 1; reach < 0x1p63; reach *= this.digits.length) {
      length++;
    }
    this.bodyLength = length;
  }

  /** The name used in configuration: {@code base62} or {@code crockford32}. */
  public String configName() {
    return configName;
  }

  /** The number of digits: 62 or 32. */
  public int radix() {
    return digits.length;
  }

  /** The fixed number of characters that holds any 63-bit value: 11 for base62, 13 for base32. */
  public int bodyLength() {
    return bodyLength;
  }

  /** Whether decoding ignores case (in the prefix and version as well as the body). */
  public boolean caseInsensitive() {
    return caseInsensitive;
  }

  /** The alphabet with this configuration name, ignoring case. */
  public static Optional<PublicIdAlphabet> byConfigName(String name) {
    if (name == null) {
      return Optional.empty();
    }
    String wanted = name.toLowerCase(Locale.ROOT);
    for (PublicIdAlphabet alphabet : values()) {
      if (alphabet.configName.equals(wanted)) {
        return Optional.of(alphabet);
      }
    }
    return Optional.empty();
  }

  char digit(int value) {
    return digits[value];
  }

  /** The value of a digit, or -1 if {@code c} is not one (after aliases and case folding). */
  int valueOf(char c) {
    return c < 128 ? valueByChar[c] : -1;
  }

  @Override
  public String toString() {
    return configName;
  }
}
