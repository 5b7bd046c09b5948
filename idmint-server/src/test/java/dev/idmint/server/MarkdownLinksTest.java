package dev.idmint.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every relative link between the repository's Markdown files resolves: the file (or directory)
 * exists, and a {@code #fragment} into a Markdown file names one of its headings (GitHub's
 * anchors).
 */
class MarkdownLinksTest {
  private static final Pattern LINK = Pattern.compile("\\[([^\\]]*)\\]\\(([^)\\s]+)\\)");
  private static final Pattern INLINE_CODE = Pattern.compile("`[^`]*`");

  @Test
  void relativeLinksResolve() {
    List<String> broken = new ArrayList<>();
    Map<Path, Set<String>> anchors = new HashMap<>();
    List<Path> files = Docs.markdownFiles();
    assertThat(files).as("Markdown files found under " + Docs.root()).hasSizeGreaterThan(10);
    for (Path file : files) {
      List<String> lines = Docs.lines(file);
      boolean[] inside = Docs.insideBlocks(lines);
      for (int i = 0; i < lines.size(); i++) {
        if (inside[i]) {
          continue;
        }
        Matcher link = LINK.matcher(INLINE_CODE.matcher(lines.get(i)).replaceAll("``"));
        while (link.find()) {
          String target = link.group(2);
          if (target.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
            continue; // http:, https:, mailto:
          }
          String where = Docs.name(file) + ":" + (i + 1) + ": link (" + target + ")";
          int hash = target.indexOf('#');
          String pathPart = hash < 0 ? target : target.substring(0, hash);
          String fragment = hash < 0 ? null : target.substring(hash + 1);
          Path resolved =
              pathPart.isEmpty() ? file : file.getParent().resolve(pathPart).normalize();
          if (!Files.exists(resolved)) {
            broken.add(where + " points at " + Docs.name(resolved) + ", which does not exist");
            continue;
          }
          if (fragment != null && resolved.toString().endsWith(".md")) {
            Set<String> known = anchors.computeIfAbsent(resolved, MarkdownLinksTest::anchorsOf);
            if (!known.contains(fragment)) {
              broken.add(
                  where
                      + ": "
                      + Docs.name(resolved)
                      + " has no heading with anchor #"
                      + fragment
                      + "; its anchors: "
                      + new java.util.TreeSet<>(known));
            }
          }
        }
      }
    }
    assertThat(broken).as("broken relative links").isEmpty();
  }

  /**
   * GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens, -1 for repeats.
   */
  static Set<String> anchorsOf(Path file) {
    Set<String> anchors = new HashSet<>();
    Map<String, Integer> seen = new HashMap<>();
    List<String> lines = Docs.lines(file);
    boolean[] inside = Docs.insideBlocks(lines);
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (inside[i] || !line.startsWith("#")) {
        continue;
      }
      String text = line.replaceFirst("^#+\\s*", "").replaceAll("\\[([^\\]]*)\\]\\([^)]*\\)", "$1");
      String slug =
          text.strip()
              .toLowerCase(Locale.ROOT)
              .replaceAll("[^\\p{L}\\p{N} _-]", "")
              .replace(' ', '-');
      int count = seen.merge(slug, 1, Integer::sum);
      anchors.add(count == 1 ? slug : slug + "-" + (count - 1));
    }
    return anchors;
  }
}
