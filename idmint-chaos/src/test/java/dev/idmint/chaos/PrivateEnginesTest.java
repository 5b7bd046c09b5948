package dev.idmint.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.idmint.testkit.PrivateMariaDb;
import dev.idmint.testkit.PrivatePostgres;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The private engines the campaign kills: they really die, come back with their data (or with a
 * backup's), never use the shared engines' ports, and leave no server behind — not even when the
 * JVM that started them is killed with {@code kill -9}.
 */
class PrivateEnginesTest {

  @Test
  void postgresIsKilledRestartedAndRestoredFromABackup() throws Exception {
    PrivatePostgres.requireInstalled();
    Path dir;
    int port;
    try (PrivatePostgres pg = PrivatePostgres.start()) {
      port = pg.port();
      dir = pg.logFile().getParent();
      assertThat(port).isNotEqualTo(5432);
      execute(pg.jdbcUrl("test"), "postgres", "CREATE TABLE t (v INT)", "INSERT INTO t VALUES (1)");
      PrivatePostgres.Backup backup = pg.backup();
      execute(pg.jdbcUrl("test"), "postgres", "INSERT INTO t VALUES (2)");

      assertThat(pg.killPostmaster()).as("a postmaster was running").isTrue();
      assertThat(pg.running()).isFalse();
      assertThatThrownBy(() -> count(pg.jdbcUrl("test"), "postgres"))
          .isInstanceOf(SQLException.class);
      pg.startServer();
      assertThat(count(pg.jdbcUrl("test"), "postgres")).as("committed rows survive").isEqualTo(2);

      pg.stopImmediate();
      assertThat(pg.running()).isFalse();
      pg.killPostmaster();
      pg.restore(backup);
      pg.startServer();
      assertThat(count(pg.jdbcUrl("test"), "postgres")).as("back to the backup").isEqualTo(1);
    }
    assertThat(accepts(port)).as("stopped").isFalse();
    assertThat(Files.exists(dir)).as("directory deleted").isFalse();
  }

  @Test
  void mariadbIsKilledAndRestartedWithItsData() throws Exception {
    PrivateMariaDb.requireInstalled();
    int port;
    try (PrivateMariaDb db = PrivateMariaDb.start()) {
      port = db.port();
      assertThat(port).isNotEqualTo(3306);
      execute(db.jdbcUrl("test"), "root", "CREATE TABLE t (v INT)", "INSERT INTO t VALUES (1)");
      assertThat(db.kill()).isTrue();
      assertThat(accepts(port)).isFalse();
      db.startServer();
      assertThat(count(db.jdbcUrl("test"), "root")).isEqualTo(1);
    }
    assertThat(accepts(port)).isFalse();
  }

  @Test
  void noServerOutlivesAJvmKilledWithSigkill() throws Exception {
    PrivatePostgres.requireInstalled();
    PrivateMariaDb.requireInstalled();
    Process holder =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                PrivateEngineHolder.class.getName())
            .redirectErrorStream(true)
            .start();
    int pgPort;
    int mariadbPort;
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      String ports = null;
      StringBuilder seen = new StringBuilder();
      while ((line = out.readLine()) != null) {
        seen.append(line).append('\n');
        if (line.startsWith("ports ")) {
          ports = line;
          break;
        }
      }
      assertThat(ports).as("holder output:\n%s", seen).isNotNull();
      String[] parts = ports.split(" ");
      pgPort = Integer.parseInt(parts[1]);
      mariadbPort = Integer.parseInt(parts[2]);
      assertThat(accepts(pgPort)).isTrue();
      assertThat(accepts(mariadbPort)).isTrue();
      List<Path> before = privateDirs();
      assertThat(before).isNotEmpty();

      holder.destroyForcibly(); // SIGKILL: no shutdown hook runs
      assertThat(holder.waitFor(20, TimeUnit.SECONDS)).isTrue();

      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while ((accepts(pgPort) || accepts(mariadbPort)) && System.nanoTime() < deadline) {
        Thread.sleep(200);
      }
      assertThat(accepts(pgPort)).as("private PostgreSQL gone").isFalse();
      assertThat(accepts(mariadbPort)).as("private MariaDB gone").isFalse();
      while (privateDirs().stream().anyMatch(before::contains) && System.nanoTime() < deadline) {
        Thread.sleep(200);
      }
      assertThat(privateDirs()).as("their directories deleted").doesNotContainAnyElementsOf(before);
    } finally {
      holder.destroyForcibly();
    }
  }

  private static List<Path> privateDirs() throws IOException {
    try (Stream<Path> entries = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
      return entries.filter(p -> p.getFileName().toString().startsWith("idmint-private-")).toList();
    }
  }

  private static void execute(String url, String user, String... statements) throws SQLException {
    try (Connection c = DriverManager.getConnection(url, user, "");
        Statement s = c.createStatement()) {
      for (String statement : statements) {
        s.execute(statement);
      }
    }
  }

  private static long count(String url, String user) throws SQLException {
    try (Connection c = DriverManager.getConnection(url, user, "");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM t")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static boolean accepts(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 300);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
