package dev.idmint.core.publicid;

import static dev.idmint.core.publicid.DefaultPublicIdCodec.quote;

import dev.idmint.core.InvalidConfigurationException;
import dev.idmint.core.InvalidIdException;
import dev.idmint.core.NamespaceName;
import dev.idmint.core.Placeholders;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Turns a namespace's raw IDs into public IDs and back: {@code <prefix>_<version><body>}, for
 * example {@code ord_2Xk9bM1pTz0Q}. The body is a keyed permutation of the raw ID (NIST SP 800-38G
 * FF1 over AES, with the namespace as tweak), written at a fixed width. Without the key, a public
 * ID reveals neither the raw ID nor its creation time, worker or sequence, nor how far apart two
 * IDs are; with the key it decodes back exactly.
 *
 * <p>A permutation is not authorisation: every well-formed string decodes to some raw ID, so a
 * lookup by public ID must still check that the caller may see that entity. Optional keyed check
 * characters ({@link Builder#checkCharacters(int)}) make a random guess fail to decode, with
 * probability 1 - radix^-checkCharacters. See {@code docs/security.md}.
 *
 * <p>Encoding uses the current key version; decoding accepts every configured version, so keys
 * rotate by adding a version, making it current, and dropping the old one once its strings no
 * longer matter.
 *
 * <p>Implementations are immutable and thread-safe. Neither {@code toString()} nor any message
 * contains key material.
 */
public interface PublicIdCodec {

  /**
   * The public ID of a raw ID, made with the current key version.
   *
   * @throws InvalidIdException if {@code rawId} is not in [1, 2^63 - 1]
   */
  String encode(long rawId);

  /**
   * The raw ID behind a public ID made with any configured key version.
   *
   * @throws InvalidPublicIdException naming what is wrong: prefix, version, length, alphabet, range
   *     or check characters
   * @throws NullPointerException if {@code publicId} is null
   */
  long decode(String publicId);

  /** The namespace whose name is the FF1 tweak. */
  String namespace();

  /** The prefix before the underscore, e.g. {@code ord}. */
  String prefix();

  PublicIdAlphabet alphabet();

  /** The key version that {@link #encode} uses. */
  char currentVersion();

  /** Every key version that {@link #decode} accepts, in ascending order. */
  Set<Character> versions();

  /** How many keyed check characters follow the body: 0, 1 or 2. */
  int checkCharacters();

  /** The length of every public ID this codec makes. */
  int length();

  /**
   * The length of every public ID made with {@code prefix}, {@code alphabet} and {@code
   * checkCharacters}, whatever the key: prefix, underscore, version, body, check characters.
   */
  static int length(String prefix, PublicIdAlphabet alphabet, int checkCharacters) {
    return prefix.length() + 2 + alphabet.bodyLength() + checkCharacters;
  }

  static Builder builder() {
    return new Builder();
  }

  /**
   * Builds a {@link PublicIdCodec}. The methods mirror the server's configuration, so a namespace's
   * {@code public-id} block maps one to one:
   *
   * <pre>{@code
   * public-id:
   *   prefix: ord               -> prefix("ord")
   *   alphabet: base62          -> alphabet("base62")
   *   current: 2                -> current("2")
   *   check-characters: 0       -> checkCharacters(0)
   *   keys:                     -> keys(Map.of("1", ..., "2", ...))
   *     "1": ${IDMINT_ORDER_KEY_1}
   *     "2": ${IDMINT_ORDER_KEY_2}
   * }</pre>
   *
   * plus {@link #namespace(String)} from the enclosing namespace's name. Nothing is checked until
   * {@link #build()}, which reports every problem at once.
   */
  final class Builder {
    private static final Pattern PREFIX = Pattern.compile("[a-z][a-z0-9]{0,15}");
    private static final Pattern VERSION = Pattern.compile("[0-9a-z]");
    private static final int MAX_CHECK_CHARACTERS = 2;

    private String namespace;
    private String prefix;
    private String alphabetName = PublicIdAlphabet.BASE62.configName();
    private String current;
    private int checkCharacters;
    private final List<Map.Entry<String, String>> keys = new ArrayList<>();

    private Builder() {}

    /**
     * The namespace name, a valid {@link NamespaceName}; its UTF-8 bytes are the FF1 tweak, so the
     * same raw ID under the same key gives unrelated public IDs in different namespaces. Required.
     */
    public Builder namespace(String namespace) {
      this.namespace = namespace;
      return this;
    }

    /** The entity-type prefix, {@code [a-z][a-z0-9]{0,15}}, e.g. {@code ord}. Required. */
    public Builder prefix(String prefix) {
      this.prefix = prefix;
      return this;
    }

    /** Default {@link PublicIdAlphabet#BASE62}. */
    public Builder alphabet(PublicIdAlphabet alphabet) {
      this.alphabetName = alphabet == null ? null : alphabet.configName();
      return this;
    }

    /** {@code base62} (default) or {@code crockford32}, ignoring case. */
    public Builder alphabet(String alphabetName) {
      this.alphabetName = alphabetName;
      return this;
    }

    /** The key version that encodes: one character, {@code 0-9} or {@code a-z}. Required. */
    public Builder current(String version) {
      this.current = version;
      return this;
    }

    /** As {@link #current(String)}. */
    public Builder current(char version) {
      return current(String.valueOf(version));
    }

    /**
     * Adds the AES key of one version: one character {@code 0-9} or {@code a-z}, and 32 hex digits
     * (AES-128) or 64 (AES-256). At least one key, and one for the current version, is required.
     */
    public Builder key(String version, String hexKey) {
      keys.add(new AbstractMap.SimpleImmutableEntry<>(version, hexKey));
      return this;
    }

    /** Adds every entry as {@link #key(String, String)} would; a null map adds nothing. */
    public Builder keys(Map<String, String> hexKeysByVersion) {
      if (hexKeysByVersion != null) {
        hexKeysByVersion.forEach(this::key);
      }
      return this;
    }

    /**
     * Keyed check characters after the body, 0 to 2; default 0. Each one makes a random guess fail
     * to decode with probability 1 - 1/radix, at one more character and one more AES block per
     * encode and decode.
     */
    public Builder checkCharacters(int checkCharacters) {
      this.checkCharacters = checkCharacters;
      return this;
    }

    /**
     * The problems of everything but the keys (namespace, prefix, alphabet, check characters, the
     * current version's form), as {@link #build()} reports them: what a definition that holds no
     * key material can be checked for.
     */
    public List<String> problemsWithoutKeys() {
      List<String> problems = settingsProblems();
      currentProblems(problems);
      return problems;
    }

    /** Namespace, prefix, alphabet and check characters. */
    private List<String> settingsProblems() {
      List<String> problems = new ArrayList<>();
      if (namespace == null || namespace.isEmpty()) {
        problems.add("namespace must be set");
      } else if (!NamespaceName.isValid(namespace)) {
        problems.add(NamespaceName.problem(namespace));
      }
      if (prefix == null || prefix.isEmpty()) {
        problems.add("prefix must be set");
      } else if (!PREFIX.matcher(prefix).matches()) {
        problems.add("prefix must match " + PREFIX + ": prefix=" + quote(prefix));
      }
      if (PublicIdAlphabet.byConfigName(alphabetName).isEmpty()) {
        problems.add(
            "alphabet must be one of "
                + Arrays.stream(PublicIdAlphabet.values())
                    .map(PublicIdAlphabet::configName)
                    .toList()
                + ": alphabet="
                + quote(alphabetName));
      }
      if (checkCharacters < 0 || checkCharacters > MAX_CHECK_CHARACTERS) {
        problems.add(
            "check-characters must be in [0, "
                + MAX_CHECK_CHARACTERS
                + "]: check-characters="
                + checkCharacters);
      }
      return problems;
    }

    /** The current version's form; true when it is well formed. */
    private boolean currentProblems(List<String> problems) {
      if (current == null || current.isEmpty()) {
        problems.add("current must be set to the key version that encodes");
      } else if (!VERSION.matcher(current).matches()) {
        problems.add("current must be one character, 0-9 or a-z: current=" + quote(current));
      } else {
        return true;
      }
      return false;
    }

    /**
     * @throws InvalidConfigurationException listing every problem, each naming the offending value
     *     (but never a key): namespace, prefix, alphabet, check characters, a version that is not
     *     one character {@code 0-9a-z} or is given twice, a key that is empty, an unresolved {@code
     *     ${VAR}}, not hex or not 16 or 32 bytes long, no key at all, or no key for the current
     *     version
     */
    public PublicIdCodec build() {
      List<String> problems = settingsProblems();
      PublicIdAlphabet alphabet = PublicIdAlphabet.byConfigName(alphabetName).orElse(null);
      Map<Character, byte[]> keyBytes = new LinkedHashMap<>();
      try {
        parseKeys(problems, keyBytes);
        if (currentProblems(problems) && !keys.isEmpty() && !hasVersion(current.charAt(0))) {
          problems.add(
              "current version '"
                  + current
                  + "' has no key; configured versions: "
                  + new TreeSet<>(versionsGiven()));
        }
        if (!problems.isEmpty()) {
          throw new InvalidConfigurationException("public-id configuration", problems);
        }
        return new DefaultPublicIdCodec(
            namespace, prefix, alphabet, current.charAt(0), keyBytes, checkCharacters);
      } finally {
        keyBytes.values().forEach(bytes -> Arrays.fill(bytes, (byte) 0));
      }
    }

    private void parseKeys(List<String> problems, Map<Character, byte[]> keyBytes) {
      if (keys.isEmpty()) {
        problems.add("keys must map at least one version to a hex AES key: none configured");
        return;
      }
      Set<String> seen = new TreeSet<>();
      Set<String> reported = new TreeSet<>();
      for (Map.Entry<String, String> entry : keys) {
        String version = entry.getKey();
        if (version == null || !VERSION.matcher(version).matches()) {
          problems.add("key version must be one character, 0-9 or a-z: version=" + quote(version));
          continue;
        }
        if (!seen.add(version)) {
          if (reported.add(version)) {
            problems.add("key version '" + version + "' is configured more than once");
          }
          continue;
        }
        byte[] key = parseKey(version, entry.getValue(), problems);
        if (key != null) {
          keyBytes.put(version.charAt(0), key);
        }
      }
    }

    /** The key's bytes, or null after adding a problem that names the version, never the key. */
    private static byte[] parseKey(String version, String hex, List<String> problems) {
      String subject = "key for version '" + version + "'";
      if (hex == null || hex.isBlank()) {
        problems.add(subject + " is empty; is its environment variable set?");
        return null;
      }
      String unresolved = Placeholders.unresolved(hex).orElse(null);
      if (unresolved != null) {
        problems.add(
            subject
                + " is the unresolved placeholder ${"
                + unresolved
                + "}; set that environment variable");
        return null;
      }
      for (int j = 0; j < hex.length(); j++) {
        if (Character.digit(hex.charAt(j), 16) < 0) {
          problems.add(
              subject + " is not hexadecimal: character " + (j + 1) + " is not 0-9, a-f or A-F");
          return null;
        }
      }
      if (hex.length() != 32 && hex.length() != 64) {
        problems.add(
            subject
                + " has "
                + hex.length()
                + " hex digits; an AES key has 32 (AES-128) or 64 (AES-256)");
        return null;
      }
      byte[] key = new byte[hex.length() / 2];
      for (int j = 0; j < key.length; j++) {
        key[j] =
            (byte)
                ((Character.digit(hex.charAt(2 * j), 16) << 4)
                    | Character.digit(hex.charAt(2 * j + 1), 16));
      }
      return key;
    }

    private boolean hasVersion(char version) {
      return versionsGiven().contains(String.valueOf(version));
    }

    private List<String> versionsGiven() {
      List<String> versions = new ArrayList<>();
      for (Map.Entry<String, String> entry : keys) {
        versions.add(String.valueOf(entry.getKey()));
      }
      return versions;
    }
  }
}
