package dev.idmint.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every figure in docs/benchmarks.md names what produced it: each section ({@code ##} or {@code
 * ###}) holding a table of figures has a line starting {@code - Command:} and one starting {@code -
 * Date:}. A {@code ###} section may rely on the lines of its {@code ##} section (before its first
 * subsection). A table holds figures when one of its body cells starts with a number followed by a
 * space, a unit or the end of the cell ({@code 4.10}, {@code 55,866 req/s}, {@code **92–104 M
 * IDs/s**}; not {@code 12-bit} or a date).
 */
class BenchmarksDocTest {
  private static final Pattern FIGURE =
      Pattern.compile("^[*~≥≤ ]*\\d[\\d,.]*(\\s|$|\\*|%|–|/|×).*");

  /** One heading's section. */
  private static final class Section {
    final String title;
    final int level;
    final int line;
    final Section parent;
    boolean command;
    boolean date;
    int figureTableLine = -1;

    Section(String title, int level, int line, Section parent) {
      this.title = title;
      this.level = level;
      this.line = line;
      this.parent = parent;
    }
  }

  @Test
  void everySectionWithFiguresNamesItsCommandAndDate() {
    Path file = Docs.root().resolve("docs/benchmarks.md");
    List<String> lines = Docs.lines(file);
    boolean[] inside = Docs.insideBlocks(lines);
    List<Section> sections = new ArrayList<>();
    Section current = new Section("(top)", 1, 0, null);
    Section h2 = null;
    boolean inTable = false;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (!inside[i] && line.matches("^#{2,3} .*")) {
        int level = line.startsWith("###") ? 3 : 2;
        current = new Section(line.replaceFirst("^#+ ", ""), level, i + 1, level == 3 ? h2 : null);
        if (level == 2) {
          h2 = current;
        }
        sections.add(current);
        inTable = false;
        continue;
      }
      if (inside[i]) {
        continue;
      }
      if (line.startsWith("- Command:")) {
        current.command = true;
      }
      if (line.startsWith("- Date:")) {
        current.date = true;
      }
      if (line.startsWith("|")) {
        boolean separator = line.matches("^\\|[\\s:|-]+\\|\\s*$");
        if (inTable && !separator) {
          String[] cells = line.split("\\|");
          for (int c = 1; c < cells.length; c++) {
            if (FIGURE.matcher(cells[c].strip()).matches() && current.figureTableLine < 0) {
              current.figureTableLine = i + 1;
            }
          }
        }
        inTable = true;
      } else {
        inTable = false;
      }
    }
    List<String> missing = new ArrayList<>();
    for (Section section : sections) {
      if (section.figureTableLine < 0) {
        continue;
      }
      boolean command = section.command || section.parent != null && section.parent.command;
      boolean date = section.date || section.parent != null && section.parent.date;
      if (!command || !date) {
        missing.add(
            "docs/benchmarks.md:"
                + section.line
                + ": section \""
                + section.title
                + "\" has figures (table row at line "
                + section.figureTableLine
                + ") but no line starting "
                + (command ? "" : "'- Command:' ")
                + (!command && !date ? "and none starting " : "")
                + (date ? "" : "'- Date:'")
                + " naming the script and the date that produced them");
      }
    }
    assertThat(sections).as("sections of docs/benchmarks.md").isNotEmpty();
    assertThat(missing).as("figures without their command and date").isEmpty();
  }
}
