package dev.idmint.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The repository's Markdown, read by the doc tests: every README and page under docs/, split into
 * lines so that a failure can name {@code file:line}.
 */
final class Docs {
  private Docs() {}

  /** The repository root: the first directory upwards that holds {@code docs/configuration.md}. */
  static Path root() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      if (Files.isRegularFile(dir.resolve("docs/configuration.md"))) {
        return dir;
      }
      dir = dir.getParent();
    }
    throw new IllegalStateException(
        "no docs/configuration.md above " + Path.of("").toAbsolutePath());
  }

  /** A Markdown file's lines. */
  static List<String> lines(Path file) {
    try {
      return Files.readAllLines(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code file} relative to the repository root, for messages. */
  static String name(Path file) {
    return root().relativize(file.toAbsolutePath()).toString();
  }

  /**
   * Every tracked-looking Markdown file: README.md, CONTRIBUTING.md, docs/, module and example
   * READMEs; build output, node_modules and hidden directories are skipped.
   */
  static List<Path> markdownFiles() {
    Path root = root();
    try (Stream<Path> files = Files.walk(root)) {
      return files
          .filter(p -> p.toString().endsWith(".md"))
          .filter(
              p -> {
                for (Path part : root.relativize(p)) {
                  String name = part.toString();
                  if (name.startsWith(".")
                      || name.equals("target")
                      || name.equals("node_modules")) {
                    return false;
                  }
                }
                return true;
              })
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** README.md and the pages under docs/: what a newcomer reads first. */
  static List<Path> readmeAndDocs() {
    List<Path> files = new ArrayList<>();
    files.add(root().resolve("README.md"));
    try (Stream<Path> docs = Files.list(root().resolve("docs"))) {
      docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return files;
  }

  /** A fenced code block: its language tag, its first content line (1-based) and its lines. */
  record Block(String language, int firstLine, List<String> lines) {
    String text() {
      return String.join("\n", lines) + "\n";
    }
  }

  /** The fenced blocks of {@code lines}, in order. */
  static List<Block> blocks(List<String> lines) {
    List<Block> blocks = new ArrayList<>();
    String language = null;
    int first = 0;
    List<String> body = null;
    for (int i = 0; i < lines.size(); i++) {
      String trimmed = lines.get(i).strip();
      if (body == null && trimmed.startsWith("```")) {
        language = trimmed.substring(3).strip();
        first = i + 2;
        body = new ArrayList<>();
      } else if (body != null && trimmed.equals("```")) {
        blocks.add(new Block(language, first, List.copyOf(body)));
        body = null;
      } else if (body != null) {
        // Blocks inside list items are indented: keep the indentation relative to the fence.
        body.add(lines.get(i));
      }
    }
    return blocks;
  }

  /** Whether line {@code index} (0-based) of {@code lines} lies inside a fenced block. */
  static boolean[] insideBlocks(List<String> lines) {
    boolean[] inside = new boolean[lines.size()];
    boolean open = false;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).strip().startsWith("```")) {
        open = !open;
        inside[i] = true;
      } else {
        inside[i] = open;
      }
    }
    return inside;
  }
}
