package dev.idmint.core.publicid;

import dev.idmint.core.InvalidIdException;
import dev.idmint.core.publicid.InvalidPublicIdException.Reason;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The one {@link PublicIdCodec}.
 *
 * <h2>Design notes</h2>
 *
 * <b>The permutation.</b> The raw ID's 63 bits, most significant first, are a binary string that
 * FF1 (radix 2, 63 digits, the namespace's UTF-8 name as tweak, the version's AES key) maps to
 * another 63-bit string: a permutation of [0, 2^63) ({@link BinaryFf1}). Encrypting in radix 2
 * rather than in the alphabet's radix keeps the permutation's domain exactly the 63-bit numbers, so
 * no cycle-walking is needed: 11 base62 digits span 62^11, about 5.6 times 2^63, and FF1 in radix
 * 62 would have to re-encrypt about 5.6 times on average to land in range.
 *
 * <p><b>The range.</b> Raw IDs are [1, 2^63 - 1]; the permutation is over [0, 2^63 - 1]. Encoding
 * rejects 0 and negatives, so every body it writes is a value below 2^63 other than FF1(0).
 * Decoding therefore refuses with {@link Reason#RANGE} a body of 2^63 or more (well-formed, but no
 * 63-bit value) and the one body that decrypts to 0.
 *
 * <p><b>The text.</b> The body is the encrypted value in the alphabet's radix, most significant
 * digit first, left-padded with the zero digit to {@link PublicIdAlphabet#bodyLength()}.
 *
 * <p><b>Check characters.</b> With k > 0, k more digits follow the body: {@code AES(Kc, v || c)}
 * read as an unsigned 64-bit number mod radix^k, where c is the encrypted value (8 bytes,
 * big-endian) and v the version character, in one zero-padded block. Kc is derived per version: the
 * CBC-MAC under the version's key of a fixed label and the namespace name, so it differs per key
 * and namespace, and no AES input under the FF1 key is reused for another purpose.
 */
final class DefaultPublicIdCodec implements PublicIdCodec {
  private static final VarHandle LONG_BE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
  private static final byte[] CHECK_KEY_LABEL =
      Arrays.copyOf("idmint public-id check key v1".getBytes(StandardCharsets.US_ASCII), 32);
  private static final int RAW_ID_BITS = 63;

  private final String namespace;
  private final String prefix;
  private final PublicIdAlphabet alphabet;
  private final int checkCharacters;
  private final long checkModulus;
  private final int headLength;
  private final int bodyLength;
  private final int length;
  private final Version current;
  private final Version[] versionsByIndex = new Version[36];
  private final Set<Character> versions;

  /** A validated configuration, from {@link PublicIdCodec.Builder#build()}; keys are copied. */
  DefaultPublicIdCodec(
      String namespace,
      String prefix,
      PublicIdAlphabet alphabet,
      char currentVersion,
      Map<Character, byte[]> keys,
      int checkCharacters) {
    this.namespace = namespace;
    this.prefix = prefix;
    this.alphabet = alphabet;
    this.checkCharacters = checkCharacters;
    long modulus = 1;
    for (int j = 0; j < checkCharacters; j++) {
      modulus *= alphabet.radix();
    }
    this.checkModulus = modulus;
    this.headLength = prefix.length() + 2;
    this.bodyLength = alphabet.bodyLength();
    this.length = PublicIdCodec.length(prefix, alphabet, checkCharacters);
    byte[] tweak = namespace.getBytes(StandardCharsets.UTF_8);
    TreeSet<Character> versionSet = new TreeSet<>();
    for (Map.Entry<Character, byte[]> entry : keys.entrySet()) {
      char version = entry.getKey();
      versionsByIndex[versionIndex(version)] = new Version(version, entry.getValue(), tweak);
      versionSet.add(version);
    }
    this.versions = Collections.unmodifiableSet(versionSet);
    this.current = versionsByIndex[versionIndex(currentVersion)];
  }

  @Override
  public String encode(long rawId) {
    if (rawId <= 0) {
      throw new InvalidIdException(
          "a raw ID is in [1, 2^63 - 1], so it has no public ID: rawId=" + rawId);
    }
    Version version = current;
    long body = version.ff1.encrypt(rawId);
    char[] out = new char[length];
    System.arraycopy(version.head, 0, out, 0, headLength);
    writeDigits(body, out, headLength, bodyLength);
    if (checkCharacters > 0) {
      writeDigits(version.check(body, checkModulus), out, headLength + bodyLength, checkCharacters);
    }
    return new String(out);
  }

  @Override
  public long decode(String publicId) {
    Objects.requireNonNull(publicId, "publicId");
    boolean ignoreCase = alphabet.caseInsensitive();
    int separator = publicId.indexOf('_');
    if (separator < 0) {
      throw invalid(
          Reason.PREFIX, publicId, "has no prefix: expected it to start with '" + prefix + "_'");
    }
    if (!publicId.regionMatches(ignoreCase, 0, prefix, 0, separator)
        || separator != prefix.length()) {
      throw invalid(
          Reason.PREFIX,
          publicId,
          "has prefix " + quote(publicId.substring(0, separator)) + ", expected '" + prefix + "'");
    }
    if (publicId.length() == headLength - 1) {
      throw invalid(Reason.VERSION, publicId, "has no key version after '" + prefix + "_'");
    }
    char versionChar = publicId.charAt(headLength - 1);
    if (ignoreCase && versionChar >= 'A' && versionChar <= 'Z') {
      versionChar = Character.toLowerCase(versionChar);
    }
    Version version = versionOf(versionChar);
    if (version == null) {
      throw invalid(
          Reason.VERSION,
          publicId,
          "has key version "
              + quote(String.valueOf(publicId.charAt(headLength - 1)))
              + ", expected one of "
              + versions);
    }
    int found = publicId.length() - headLength;
    if (found != bodyLength + checkCharacters) {
      throw invalid(
          Reason.LENGTH,
          publicId,
          "has "
              + found
              + " characters after the key version, expected "
              + (bodyLength + checkCharacters));
    }
    for (int j = headLength; j < length; j++) {
      if (alphabet.valueOf(publicId.charAt(j)) < 0) {
        throw invalid(
            Reason.ALPHABET,
            publicId,
            "has "
                + quote(String.valueOf(publicId.charAt(j)))
                + " at index "
                + j
                + ", which is not a "
                + alphabet.configName()
                + " digit");
      }
    }
    long body = readDigits(publicId, headLength, bodyLength);
    if (body < 0) {
      throw outOfRange(publicId);
    }
    if (checkCharacters > 0
        && readDigits(publicId, headLength + bodyLength, checkCharacters)
            != version.check(body, checkModulus)) {
      throw invalid(
          Reason.CHECK, publicId, "has check characters that do not match: it was not issued");
    }
    long rawId = version.ff1.decrypt(body);
    if (rawId == 0) {
      throw outOfRange(publicId);
    }
    return rawId;
  }

  private void writeDigits(long value, char[] out, int from, int count) {
    int radix = alphabet.radix();
    for (int j = from + count - 1; j >= from; j--) {
      out[j] = alphabet.digit((int) (value % radix));
      value /= radix;
    }
  }

  /** The value of digits already checked to be in the alphabet; -1 if it does not fit 63 bits. */
  private long readDigits(String text, int from, int count) {
    int radix = alphabet.radix();
    long limit = Long.MAX_VALUE / radix;
    long value = 0;
    for (int j = from; j < from + count; j++) {
      int digit = alphabet.valueOf(text.charAt(j));
      if (value > limit || value * radix > Long.MAX_VALUE - digit) {
        return -1;
      }
      value = value * radix + digit;
    }
    return value;
  }

  private Version versionOf(char version) {
    int index = versionIndex(version);
    return index < 0 ? null : versionsByIndex[index];
  }

  /** '0'-'9' to 0-9 and 'a'-'z' to 10-35; -1 for anything else. */
  private static int versionIndex(char version) {
    if (version >= '0' && version <= '9') {
      return version - '0';
    }
    if (version >= 'a' && version <= 'z') {
      return version - 'a' + 10;
    }
    return -1;
  }

  private InvalidPublicIdException outOfRange(String publicId) {
    return invalid(
        Reason.RANGE, publicId, "is well-formed but outside the range of raw IDs, [1, 2^63 - 1]");
  }

  private static InvalidPublicIdException invalid(Reason reason, String publicId, String problem) {
    return new InvalidPublicIdException(reason, "public ID " + quote(publicId) + " " + problem);
  }

  @Override
  public String namespace() {
    return namespace;
  }

  @Override
  public String prefix() {
    return prefix;
  }

  @Override
  public PublicIdAlphabet alphabet() {
    return alphabet;
  }

  @Override
  public char currentVersion() {
    return current.id;
  }

  @Override
  public Set<Character> versions() {
    return versions;
  }

  @Override
  public int checkCharacters() {
    return checkCharacters;
  }

  @Override
  public int length() {
    return length;
  }

  /** Names the configuration, never the keys. */
  @Override
  public String toString() {
    return "PublicIdCodec[namespace="
        + namespace
        + ", prefix="
        + prefix
        + ", alphabet="
        + alphabet.configName()
        + ", current="
        + current.id
        + ", versions="
        + versions
        + ", checkCharacters="
        + checkCharacters
        + "]";
  }

  /** A value for a message: quoted, control characters escaped, cut at 40 characters. */
  static String quote(String value) {
    if (value == null) {
      return "null";
    }
    StringBuilder out = new StringBuilder("'");
    int shown = Math.min(value.length(), 40);
    for (int j = 0; j < shown; j++) {
      char c = value.charAt(j);
      if (c < 0x20 || c == 0x7f || Character.isSurrogate(c) || c == '\'' || c == '\\') {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    if (value.length() > shown) {
      out.append("…");
    }
    return out.append('\'').toString();
  }

  /** One key version: its FF1 permutation, its check key, and the text before every body. */
  private final class Version {
    final char id;
    final char[] head;
    final BinaryFf1 ff1;
    final Aes checkAes;

    Version(char id, byte[] key, byte[] tweak) {
      this.id = id;
      this.head = (prefix + "_" + id).toCharArray();
      Aes aes = new Aes(key);
      this.ff1 = new BinaryFf1(aes, tweak, RAW_ID_BITS);
      if (checkCharacters > 0) {
        byte[] label = new byte[CHECK_KEY_LABEL.length + ((tweak.length + 1 + 15) / 16) * 16];
        System.arraycopy(CHECK_KEY_LABEL, 0, label, 0, CHECK_KEY_LABEL.length);
        label[CHECK_KEY_LABEL.length] = (byte) tweak.length;
        System.arraycopy(tweak, 0, label, CHECK_KEY_LABEL.length + 1, tweak.length);
        byte[] checkKey = aes.cbcMac(label);
        this.checkAes = new Aes(checkKey);
        Arrays.fill(checkKey, (byte) 0);
      } else {
        this.checkAes = null;
      }
    }

    /** The check value of an encrypted body, in [0, modulus). */
    long check(long body, long modulus) {
      Aes.Block block = checkAes.block();
      byte[] in = block.in;
      Arrays.fill(in, (byte) 0);
      in[0] = (byte) id;
      LONG_BE.set(in, 8, body);
      block.encrypt();
      return Long.remainderUnsigned((long) LONG_BE.get(block.out, 0), modulus);
    }
  }
}
