package dev.idmint.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.idmint.core.Clock;
import dev.idmint.core.InvalidConfigurationException;
import dev.idmint.core.segment.SegmentConfig;
import dev.idmint.core.snowflake.SnowflakeLayout;
import dev.idmint.server.config.ConfigLoader;
import dev.idmint.server.config.NamespaceConfig;
import dev.idmint.server.config.ServerConfig;
import dev.idmint.testkit.TestCertificates;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/configuration.md's reference YAML (the first {@code yaml} block under "The YAML file") is
 * what the server's loader accepts: every key in it is known, and every value it shows is the
 * default, except the keys listed in {@link #EXAMPLE_KEYS} whose values are examples. A value is
 * the default when removing its key from the block leaves the loaded configuration unchanged.
 */
class ConfigurationDocTest {
  /**
   * Keys whose documented values are examples, not defaults (a prefix ending in "." covers a whole
   * section). Add a key here when the page shows an example value for it.
   */
  static final Set<String> EXAMPLE_KEYS =
      Set.of(
          "coordinator.",
          "node.worker",
          "node.address",
          "namespaces.invoice.strategy",
          "namespaces.events.strategy",
          "namespaces.orders.strategy",
          "namespaces.orders.pattern.template",
          "auth.",
          "server.worker-threads",
          "tls.cert",
          "tls.key",
          "tls.client-ca");

  /**
   * The reference's TLS file paths, replaced by certificates made for the test: the loader checks
   * that the files exist and hold a matching certificate and key.
   */
  static Map<String, String> tlsFiles;

  private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");
  private static final YAMLMapper YAML = new YAMLMapper();
  private static final Clock CLOCK = Clock.system();

  @TempDir static Path dir;
  static Docs.Block block;
  static Map<String, Integer> lineOf;
  static Map<String, String> environment;

  @BeforeAll
  static void readThePage() {
    List<String> lines = Docs.lines(Docs.root().resolve("docs/configuration.md"));
    int heading = lines.indexOf("## The YAML file");
    assertThat(heading)
        .as("docs/configuration.md has a '## The YAML file' section")
        .isNotNegative();
    block =
        Docs.blocks(lines).stream()
            .filter(b -> b.language().equals("yaml") && b.firstLine() > heading)
            .findFirst()
            .orElseThrow(
                () ->
                    new AssertionError(
                        "docs/configuration.md: no ```yaml block after line " + heading));
    lineOf = keyLines(block);
    environment = new HashMap<>();
    Matcher variable = VARIABLE.matcher(block.text());
    while (variable.find()) {
      environment.put(variable.group(1), "doc-test-value-" + variable.group(1).toLowerCase());
    }
    TestCertificates.Authority ca = TestCertificates.authority("doc-test-ca");
    TestCertificates.Issued node = ca.server(dir, "node", "localhost");
    tlsFiles =
        Map.of(
            "/etc/idmint/tls/node.crt", node.certFile().toString(),
            "/etc/idmint/tls/node.key", node.keyFile().toString(),
            "/etc/idmint/tls/clients-ca.pem",
                ca.writeCertificate(dir.resolve("clients-ca.pem")).toString());
  }

  @Test
  void everyKeyOfTheReferenceIsAccepted() throws IOException {
    try {
      load(block.text());
    } catch (InvalidConfigurationException e) {
      throw new AssertionError(
          "docs/configuration.md's reference YAML (from line "
              + block.firstLine()
              + ") is refused by the server's loader: "
              + e.getMessage(),
          e);
    }
  }

  @Test
  void everyDocumentedValueIsTheDefault() throws IOException {
    JsonNode tree = YAML.readTree(block.text());
    ServerConfig full = load(block.text());
    List<String> wrong = new ArrayList<>();
    List<String> leaves = new ArrayList<>();
    leaves(tree, "", leaves);
    assertThat(leaves).as("keys in the reference YAML").hasSizeGreaterThan(20);
    for (String path : leaves) {
      if (EXAMPLE_KEYS.stream()
          .anyMatch(k -> k.endsWith(".") ? path.startsWith(k) : path.equals(k))) {
        continue;
      }
      JsonNode without = tree.deepCopy();
      remove(without, path);
      List<String> differences = new ArrayList<>();
      try {
        differences(full, load(YAML.writeValueAsString(without)), "", differences);
      } catch (InvalidConfigurationException e) {
        differences.add("without it the file is refused: " + e.getMessage());
      }
      if (!differences.isEmpty()) {
        wrong.add(
            "docs/configuration.md:"
                + lineOf.getOrDefault(path, block.firstLine())
                + ": `"
                + path
                + "` shows a value that is not the loader's default ("
                + String.join("; ", differences)
                + "); fix the page, or if the value is an example add the key to"
                + " ConfigurationDocTest.EXAMPLE_KEYS");
      }
    }
    assertThat(wrong).as("documented defaults that are not the defaults").isEmpty();
  }

  private static ServerConfig load(String yaml) throws IOException {
    Path file = Files.createTempFile(dir, "reference", ".yaml");
    for (Map.Entry<String, String> tls : tlsFiles.entrySet()) {
      yaml = yaml.replace(tls.getKey(), tls.getValue());
    }
    Files.writeString(file, yaml);
    return ConfigLoader.load(
        new ConfigLoader.Flags(null, dir.resolve("data"), null, file), environment, CLOCK);
  }

  /** The dotted paths of every scalar (and every list, as a whole) under {@code node}. */
  private static void leaves(JsonNode node, String prefix, List<String> out) {
    if (node.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator();
          it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        leaves(field.getValue(), prefix + field.getKey() + ".", out);
      }
    } else {
      out.add(prefix.substring(0, prefix.length() - 1));
    }
  }

  private static void remove(JsonNode tree, String path) {
    String[] keys = path.split("\\.");
    JsonNode parent = tree;
    for (int i = 0; i < keys.length - 1; i++) {
      parent = parent.get(keys[i]);
    }
    ((ObjectNode) parent).remove(keys[keys.length - 1]);
  }

  /** Line numbers (in the page) of each key of the block, by dotted path. */
  private static Map<String, Integer> keyLines(Docs.Block block) {
    Map<String, Integer> lines = new LinkedHashMap<>();
    Deque<Map.Entry<Integer, String>> stack = new ArrayDeque<>();
    Pattern key = Pattern.compile("^(\\s*)([A-Za-z0-9_-]+):");
    for (int i = 0; i < block.lines().size(); i++) {
      Matcher m = key.matcher(block.lines().get(i));
      if (!m.find()) {
        continue;
      }
      int indent = m.group(1).length();
      while (!stack.isEmpty() && stack.peek().getKey() >= indent) {
        stack.pop();
      }
      stack.push(Map.entry(indent, m.group(2)));
      List<String> parts = new ArrayList<>();
      stack.descendingIterator().forEachRemaining(e -> parts.add(e.getValue()));
      lines.put(String.join(".", parts), block.firstLine() + i);
    }
    return lines;
  }

  /**
   * Component-wise differences of two loaded configurations (records compared per component, maps
   * per key), with a namespace's local settings left unset meaning their core defaults.
   */
  private static void differences(Object a, Object b, String path, List<String> out) {
    if (a instanceof NamespaceConfig.Local la && b instanceof NamespaceConfig.Local lb) {
      a = withDefaults(la);
      b = withDefaults(lb);
    }
    if (a != null && b != null && a.getClass().isRecord() && a.getClass() == b.getClass()) {
      for (RecordComponent component : a.getClass().getRecordComponents()) {
        try {
          differences(
              component.getAccessor().invoke(a),
              component.getAccessor().invoke(b),
              path + component.getName() + ".",
              out);
        } catch (ReflectiveOperationException e) {
          throw new IllegalStateException(e);
        }
      }
      return;
    }
    if (a instanceof Map<?, ?> ma && b instanceof Map<?, ?> mb) {
      for (Object k : ma.keySet()) {
        differences(ma.get(k), mb.get(k), path + k + ".", out);
      }
      for (Object k : mb.keySet()) {
        if (!ma.containsKey(k)) {
          out.add(path + k + " appears only without the key");
        }
      }
      return;
    }
    if (!Objects.equals(a, b)) {
      out.add(
          (path.isEmpty() ? "the configuration" : path.substring(0, path.length() - 1))
              + " is "
              + a
              + " with the key but "
              + b
              + " without it");
    }
  }

  private static NamespaceConfig.Local withDefaults(NamespaceConfig.Local local) {
    return new NamespaceConfig.Local(
        local.minRemaining() == null ? SnowflakeLayout.DEFAULT_MIN_REMAINING : local.minRemaining(),
        local.awaitTimeout() == null
            ? SegmentConfig.defaults().awaitTimeout()
            : local.awaitTimeout(),
        local.publicIdKeys());
  }
}
