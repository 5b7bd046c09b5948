package dev.idmint.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * The temporary directory of one private engine instance ({@link PrivatePostgres}, {@link
 * PrivateMariaDb}) and the three things that make sure no engine process outlives the JVM that
 * started it:
 *
 * <ul>
 *   <li>a shutdown hook that stops the engine and deletes the directory (normal exit, SIGTERM);
 *   <li>a watchdog shell in its own session that waits for this JVM to vanish and then kills the
 *       engine's server process and deletes the directory ({@code kill -9} of the JVM, a surefire
 *       fork killed on timeout);
 *   <li>a sweep, before every new instance, of directories whose owning JVM is gone.
 * </ul>
 *
 * The directory holds {@code owner.pid} (the JVM's pid) and {@code server.pid.path} (where the
 * engine writes its server's pid). Only processes whose command name is the engine's own are ever
 * killed, so a recycled pid is left alone.
 */
final class PrivateInstanceDir {
  private static final String OWNER_FILE = "owner.pid";
  private static final String SERVER_PID_FILE = "server.pid.path";

  final Path root;
  private final String serverCommand;
  private final Thread hook;
  private Process watchdog;

  private PrivateInstanceDir(Path root, String serverCommand, Thread hook) {
    this.root = root;
    this.serverCommand = serverCommand;
    this.hook = hook;
  }

  /**
   * Sweeps stale directories of this engine, then creates a new one.
   *
   * @param engine names the directory ({@code idmint-private-<engine>-…})
   * @param serverCommand the server process's command name ({@code postgres}, {@code mariadbd})
   * @param onShutdown what the shutdown hook runs (stop the engine, delete the directory)
   */
  static PrivateInstanceDir create(String engine, String serverCommand, Runnable onShutdown) {
    String prefix = "idmint-private-" + engine + "-";
    sweep(prefix, serverCommand);
    try {
      Path root = Files.createTempDirectory(prefix);
      Files.writeString(
          root.resolve(OWNER_FILE), Long.toString(ProcessHandle.current().pid()) + "\n");
      Thread hook = new Thread(onShutdown, "idmint-private-" + engine + "-shutdown");
      Runtime.getRuntime().addShutdownHook(hook);
      return new PrivateInstanceDir(root, serverCommand, hook);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a directory for a private " + engine, e);
    }
  }

  /**
   * Records where the server writes its pid (first line) and starts the watchdog. Call once, after
   * the layout of the directory is known.
   */
  void guard(Path serverPidFile) {
    try {
      Files.writeString(root.resolve(SERVER_PID_FILE), serverPidFile.toString() + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String script =
        "while kill -0 \"$1\" 2>/dev/null; do sleep 1; done; "
            + "if [ -f \"$2\" ]; then p=$(head -n 1 \"$2\"); "
            + "if [ -n \"$p\" ] && [ \"$(cat /proc/$p/comm 2>/dev/null)\" = \"$3\" ]; then"
            + " kill -9 \"$p\"; fi; fi; sleep 1; rm -rf \"$4\"";
    try {
      watchdog =
          new ProcessBuilder(
                  "setsid",
                  "sh",
                  "-c",
                  script,
                  "idmint-watchdog",
                  Long.toString(ProcessHandle.current().pid()),
                  serverPidFile.toString(),
                  serverCommand,
                  root.toString())
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the watchdog of " + root, e);
    }
  }

  /** Stops the watchdog, removes the hook (unless called from it) and deletes the directory. */
  void delete() {
    if (watchdog != null) {
      watchdog.descendants().forEach(ProcessHandle::destroyForcibly);
      watchdog.destroyForcibly();
    }
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // called from the hook itself
    }
    deleteTree(root);
  }

  /** Kills the server whose pid is the first line of {@code pidFile}, if it is still running. */
  static boolean killServer(Path pidFile, String serverCommand) {
    Optional<ProcessHandle> server = serverProcess(pidFile, serverCommand);
    server.ifPresent(
        handle -> {
          handle.destroyForcibly();
          handle.onExit().orTimeout(20, TimeUnit.SECONDS).exceptionally(e -> handle).join();
        });
    return server.isPresent();
  }

  static Optional<ProcessHandle> serverProcess(Path pidFile, String serverCommand) {
    try {
      if (!Files.isRegularFile(pidFile)) {
        return Optional.empty();
      }
      List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
      if (lines.isEmpty() || lines.get(0).isBlank()) {
        return Optional.empty();
      }
      long pid = Long.parseLong(lines.get(0).strip());
      return ProcessHandle.of(pid).filter(h -> h.isAlive() && isCommand(pid, serverCommand));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static boolean isCommand(long pid, String serverCommand) {
    try {
      return Files.readString(Path.of("/proc", Long.toString(pid), "comm"))
          .strip()
          .equals(serverCommand);
    } catch (IOException e) {
      return false;
    }
  }

  /** Removes directories of this engine whose owning JVM has exited, killing their server. */
  private static void sweep(String prefix, String serverCommand) {
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    List<Path> stale = new ArrayList<>();
    try (Stream<Path> entries = Files.list(tmp)) {
      entries
          .filter(p -> p.getFileName().toString().startsWith(prefix) && Files.isDirectory(p))
          .forEach(stale::add);
    } catch (IOException e) {
      return; // nothing to sweep
    }
    for (Path dir : stale) {
      try {
        Path owner = dir.resolve(OWNER_FILE);
        if (!Files.isRegularFile(owner)) {
          continue; // being created right now, or not ours
        }
        long pid = Long.parseLong(Files.readString(owner).strip());
        if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
          continue;
        }
        Path serverPidPath = dir.resolve(SERVER_PID_FILE);
        if (Files.isRegularFile(serverPidPath)) {
          killServer(Path.of(Files.readString(serverPidPath).strip()), serverCommand);
        }
        deleteTree(dir);
      } catch (IOException | NumberFormatException e) {
        // leave it; the next sweep tries again
      }
    }
  }

  static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      // best effort: the watchdog or the next sweep removes what is left
    }
  }

  static void chown(Path path, String user) {
    try {
      UserPrincipal principal =
          path.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(user);
      Files.setOwner(path, principal);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot hand " + path + " to user " + user, e);
    }
  }

  static boolean runningAsRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static boolean accepts(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Runs a command to completion; its output goes to {@code log}. Returns the exit code. */
  static int run(List<String> command, Path log, Duration timeout) {
    try {
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .start();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(
            "timed out after " + timeout + ": " + String.join(" ", command));
      }
      return process.exitValue();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted running " + command, e);
    }
  }

  static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /** Skips the calling test (fails under {@code CI=true}) when an engine's binary is missing. */
  static void requireBinary(String engine, Optional<Path> binary, String howToInstall) {
    if (binary.isPresent()) {
      return;
    }
    String message = engine + " binaries are not installed; install them with: " + howToInstall;
    if (Engines.underCi()) {
      throw new AssertionError("CI=true, so this test may not skip: " + message);
    }
    Assumptions.abort(message);
  }

  static Optional<Path> onPath(String name) {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String dir : path.split(":")) {
      Path candidate = Path.of(dir, name);
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }
}
