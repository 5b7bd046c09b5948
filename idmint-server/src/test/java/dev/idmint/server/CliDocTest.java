package dev.idmint.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every {@code idmint} flag and {@code IDMINT_*} environment variable that README.md and docs/
 * mention exists. A flag counts as mentioned when it follows an invocation of the CLI on the same
 * line ({@code bin/idmint …}, {@code idmint-server.jar …}, {@code $ idmint …}) or heads a row of a
 * flag table ({@code | `--port` |}); it must appear in the help of {@code idmint} or one of its
 * commands. A variable must appear in that help too, unless it is a name the user picks (written
 * {@code ${VAR}} in the docs) or one that a script, test or example in the repository reads.
 */
class CliDocTest {
  private static final Pattern INVOCATION =
      Pattern.compile("(bin/idmint|idmint-server\\.jar|^\\s*\\$?\\s*idmint|`idmint)\\s+(?=[a-z-])");
  private static final Pattern FLAG = Pattern.compile("(?<![\\w-])--[a-z][a-z0-9-]*");
  private static final Pattern TABLE_FLAG = Pattern.compile("^\\|\\s*`(--[a-z][a-z0-9-]*)`");
  private static final Pattern VARIABLE = Pattern.compile("IDMINT_[A-Z0-9_]*[A-Z0-9]");

  static String help;

  @BeforeAll
  static void collectHelp() {
    StringBuilder out = new StringBuilder();
    collect(Main.commandLine(), out);
    help = out.toString();
  }

  private static void collect(CommandLine command, StringBuilder out) {
    out.append(command.getUsageMessage()).append('\n');
    for (CommandLine sub : command.getSubcommands().values()) {
      collect(sub, out);
    }
  }

  @Test
  void theHelpIsRead() {
    // The test can only fail usefully if it sees the real help.
    assertThat(help).contains("--port").contains("--coordinator").contains("IDMINT_URL");
  }

  @Test
  void everyDocumentedFlagExists() {
    List<String> unknown = new ArrayList<>();
    Set<String> helpFlags = new LinkedHashSet<>();
    FLAG.matcher(help).results().forEach(r -> helpFlags.add(r.group()));
    for (Path file : Docs.readmeAndDocs()) {
      List<String> lines = Docs.lines(file);
      for (int i = 0; i < lines.size(); i++) {
        for (String flag : flagsOn(lines.get(i))) {
          if (!helpFlags.contains(flag)) {
            unknown.add(
                Docs.name(file)
                    + ":"
                    + (i + 1)
                    + ": flag "
                    + flag
                    + " is not in the help of idmint or any of its commands (known: "
                    + helpFlags
                    + ")");
          }
        }
      }
    }
    assertThat(unknown).as("documented flags that idmint does not have").isEmpty();
  }

  @Test
  void everyDocumentedEnvironmentVariableExists() {
    String placeholders = String.join("\n", allLines(Docs.readmeAndDocs()));
    String elsewhere = nonMarkdownText();
    List<String> unknown = new ArrayList<>();
    for (Path file : Docs.readmeAndDocs()) {
      List<String> lines = Docs.lines(file);
      for (int i = 0; i < lines.size(); i++) {
        Matcher variable = VARIABLE.matcher(lines.get(i));
        while (variable.find()) {
          String name = variable.group();
          if (help.contains(name)
              || placeholders.contains("${" + name + "}")
              || Pattern.compile("\\b" + name + "\\b").matcher(elsewhere).find()) {
            continue;
          }
          unknown.add(
              Docs.name(file)
                  + ":"
                  + (i + 1)
                  + ": environment variable "
                  + name
                  + " is not in the help of idmint or any of its commands, not a ${"
                  + name
                  + "} placeholder, and nothing in the repository reads it");
        }
      }
    }
    assertThat(unknown).as("documented environment variables that nothing reads").isEmpty();
  }

  /** The CLI flags a documentation line uses. */
  static Set<String> flagsOn(String line) {
    Set<String> flags = new LinkedHashSet<>();
    Matcher table = TABLE_FLAG.matcher(line);
    if (table.find()) {
      flags.add(table.group(1));
    }
    Matcher invocation = INVOCATION.matcher(line);
    if (invocation.find()) {
      // Up to the end of the inline code span or the line: what follows belongs to the command.
      String rest = line.substring(invocation.end());
      int tick = rest.indexOf('`');
      Matcher flag = FLAG.matcher(tick < 0 ? rest : rest.substring(0, tick));
      while (flag.find()) {
        flags.add(flag.group());
      }
    }
    return flags;
  }

  private static List<String> allLines(List<Path> files) {
    List<String> lines = new ArrayList<>();
    files.forEach(f -> lines.addAll(Docs.lines(f)));
    return lines;
  }

  /** Scripts, sources, examples and deployment files: everything but Markdown and build output. */
  private static String nonMarkdownText() {
    Path root = Docs.root();
    StringBuilder text = new StringBuilder();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        String relative = root.relativize(file).toString();
        if (!Files.isRegularFile(file)
            || relative.endsWith(".md")
            || relative.matches("(^|.*/)(\\.[^/]*|target|node_modules)/.*")
            || !relative.matches(
                ".*\\.(java|sh|yaml|yml|properties|json|xml)$|^bin/.*|^\\.ci/.*")) {
          continue;
        }
        text.append(Files.readString(file)).append('\n');
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return text.toString();
  }
}
