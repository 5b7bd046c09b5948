package dev.idmint.server.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One {@link InJvmNode} on embedded H2 for all tests of a class, in a directory of its own that is
 * deleted afterwards:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final InJvmNodeExtension node = InJvmNodeExtension.withYaml("namespaces: ...");
 * ... node.endpoint() ...
 * }</pre>
 */
public final class InJvmNodeExtension implements BeforeAllCallback, AfterAllCallback {
  private final String yaml;
  private Path dir;
  private InJvmNode node;

  private InJvmNodeExtension(String yaml) {
    this.yaml = yaml;
  }

  /** A node configured by {@code yaml} (the configuration file's text). */
  public static InJvmNodeExtension withYaml(String yaml) {
    return new InJvmNodeExtension(yaml);
  }

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    dir = Files.createTempDirectory("idmint-node");
    node = InJvmNode.in(dir).yaml(yaml).start();
  }

  @Override
  public void afterAll(ExtensionContext context) throws IOException {
    try {
      if (node != null) {
        node.close();
      }
    } finally {
      delete(dir);
    }
  }

  /** The running node; only between the class's first and last test. */
  public InJvmNode node() {
    if (node == null) {
      throw new IllegalStateException("the node runs only while the test class runs");
    }
    return node;
  }

  /** As {@link InJvmNode#port()}. */
  public int port() {
    return node().port();
  }

  /** As {@link InJvmNode#endpoint()}. */
  public String endpoint() {
    return node().endpoint();
  }

  private static void delete(Path dir) throws IOException {
    if (dir == null) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths
          .sorted(Comparator.reverseOrder())
          .forEach(
              path -> {
                try {
                  Files.delete(path);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    }
  }
}
