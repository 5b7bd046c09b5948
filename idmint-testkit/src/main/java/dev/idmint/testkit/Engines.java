package dev.idmint.testkit;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import org.junit.jupiter.api.Assumptions;

/**
 * Decides whether a test that needs a real engine runs. On a developer's machine without the
 * engine, the test is skipped with a message that says how to start it; under {@code CI=true} it
 * must run, so a missing engine fails the test instead.
 */
public final class Engines {
  private Engines() {}

  /** True when the environment says this is CI ({@code CI=true}). */
  public static boolean underCi() {
    return "true".equalsIgnoreCase(System.getenv("CI"));
  }

  /**
   * Skips the calling test (or fails it under CI) unless {@code host:port} accepts a connection.
   *
   * @param engine a name for messages, e.g. "PostgreSQL"
   * @param howToStart a command or hint that starts the engine
   */
  public static void require(String engine, String host, int port, String howToStart) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), 1_000);
    } catch (IOException e) {
      String message =
          engine
              + " is not reachable at "
              + host
              + ":"
              + port
              + " ("
              + e.getMessage()
              + "); start it with: "
              + howToStart;
      if (underCi()) {
        throw new AssertionError("CI=true, so this test may not skip: " + message, e);
      }
      Assumptions.abort(message);
    }
  }

  /** An environment variable, or {@code fallback} when it is unset or blank. */
  public static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }
}
