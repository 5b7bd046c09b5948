package dev.idmint.integrations;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java snippets of README.md and docs/client.md compile against the real modules (this module's
 * test class path holds the client, the core, the integrations, Hibernate, Jackson, MyBatis-Plus
 * and Spring's annotations). Each {@code ```java} block is compiled on its own with {@link
 * #IMPORTS}: a block declaring a type is a file of its own, a block starting with a method is a
 * class body, anything else a method body in which {@link #GIVEN} are declared (the values the
 * surrounding text hands the reader). {@code = ...;} in a snippet marks a value the reader
 * supplies; it is compiled as {@code null}.
 */
class DocSnippetsTest {
  static final List<String> FILES = List.of("README.md", "docs/client.md");

  static final String IMPORTS =
      String.join(
          "\n",
          "import java.nio.file.Path;",
          "import java.util.List;",
          "import java.util.UUID;",
          "import dev.idmint.core.*;",
          "import dev.idmint.core.lease.*;",
          "import dev.idmint.core.snowflake.*;",
          "import dev.idmint.core.segment.*;",
          "import dev.idmint.client.*;",
          "import dev.idmint.integrations.jackson.PublicId;",
          "import dev.idmint.integrations.hibernate.MintedId;",
          "import dev.idmint.integrations.mybatisplus.IdMintIdentifierGenerator;",
          "import com.baomidou.mybatisplus.core.incrementer.IdentifierGenerator;",
          "import jakarta.persistence.Entity;",
          "import jakarta.persistence.Id;",
          "import org.springframework.context.annotation.Bean;",
          "");

  static final String GIVEN = "  Clock clock;\n  SegmentStore segmentStore;\n";

  private static final Pattern TYPE =
      Pattern.compile("(?m)^\\s*(public\\s+)?(final\\s+)?(class|record|interface|enum)\\s+(\\w+)");
  private static final Pattern METHOD =
      Pattern.compile("^(\\s*@\\w+(\\([^)]*\\))?\\s*)*[\\w<>\\[\\], ]+\\s+\\w+\\([^)]*\\)\\s*\\{");

  @TempDir Path dir;

  record Snippet(String file, int firstLine, String code) {}

  @Test
  void everyJavaSnippetCompiles() throws IOException {
    List<Snippet> snippets = snippets();
    assertThat(snippets).as("java blocks in " + FILES).hasSizeGreaterThanOrEqualTo(5);
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    List<String> failures = new ArrayList<>();
    for (int i = 0; i < snippets.size(); i++) {
      Snippet snippet = snippets.get(i);
      String pkg = "snippets.s" + i;
      String code = snippet.code().replace("= ...;", "= null;");
      String source;
      String className;
      int offset; // lines before the snippet's first line in the generated file
      String header = "package " + pkg + ";\n" + IMPORTS;
      Matcher type = TYPE.matcher(code);
      if (type.find()) {
        className = type.group(4);
        source = header + code;
        offset = lines(header);
      } else if (METHOD.matcher(code).find()) {
        className = "Snippet";
        String top = header + "class Snippet {\n";
        source = top + code + "\n}\n";
        offset = lines(top);
      } else {
        className = "Snippet";
        String top = header + "class Snippet {\n" + GIVEN + "  void run() throws Exception {\n";
        source = top + code + "\n  }\n}\n";
        offset = lines(top);
      }
      Path file = dir.resolve(pkg.replace('.', '/')).resolve(className + ".java");
      Files.createDirectories(file.getParent());
      Files.writeString(file, source);
      DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
      try (StandardJavaFileManager files =
          compiler.getStandardFileManager(diagnostics, null, null)) {
        boolean ok =
            compiler
                .getTask(
                    null,
                    files,
                    diagnostics,
                    List.of(
                        "-proc:none",
                        "-classpath",
                        System.getProperty("java.class.path"),
                        "-d",
                        dir.resolve("classes").toString()),
                    null,
                    files.getJavaFileObjects(file))
                .call();
        if (!ok) {
          for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
            if (d.getKind() == Diagnostic.Kind.ERROR) {
              long line = d.getLineNumber() - offset - 1 + snippet.firstLine();
              failures.add(
                  snippet.file()
                      + ":"
                      + line
                      + ": the snippet starting at line "
                      + snippet.firstLine()
                      + " does not compile: "
                      + d.getMessage(Locale.ROOT).replace('\n', ' '));
            }
          }
        }
      }
    }
    assertThat(failures).as("documentation snippets that do not compile").isEmpty();
  }

  private static int lines(String text) {
    return (int) text.chars().filter(c -> c == '\n').count();
  }

  static List<Snippet> snippets() throws IOException {
    Path root = root();
    List<Snippet> snippets = new ArrayList<>();
    for (String name : FILES) {
      List<String> lines = Files.readAllLines(root.resolve(name));
      StringBuilder code = null;
      int first = 0;
      for (int i = 0; i < lines.size(); i++) {
        String trimmed = lines.get(i).strip();
        if (code == null && trimmed.equals("```java")) {
          code = new StringBuilder();
          first = i + 2;
        } else if (code != null && trimmed.equals("```")) {
          snippets.add(new Snippet(name, first, code.toString()));
          code = null;
        } else if (code != null) {
          code.append(lines.get(i)).append('\n');
        }
      }
    }
    return snippets;
  }

  private static Path root() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isRegularFile(dir.resolve("docs/client.md"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("no docs/client.md above " + Path.of("").toAbsolutePath());
    }
    return dir;
  }
}
