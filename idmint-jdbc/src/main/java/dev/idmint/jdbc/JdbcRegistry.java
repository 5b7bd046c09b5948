package dev.idmint.jdbc;

import dev.idmint.core.CoordinatorException;
import dev.idmint.core.registry.NamespaceEntry;
import dev.idmint.core.registry.NamespaceExistsException;
import dev.idmint.core.registry.NodeEntry;
import dev.idmint.core.registry.Registry;
import dev.idmint.core.registry.RevisionConflictException;
import dev.idmint.core.registry.UnknownNamespaceException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The registry in the {@code idmint_namespace} and {@code idmint_node} tables. Creation relies on
 * the primary key (an insert that collides lost the race); updates are {@code UPDATE … WHERE
 * revision = ?}, so the database serialises competing writers; node expiry compares {@code
 * expires_at} with the database's own clock ({@link Dialect#nowMillis()}).
 */
final class JdbcRegistry implements Registry {
  private static final String COLUMNS = "name, definition, revision, issued";

  private final DataSource dataSource;
  private final Dialect dialect;
  private final String now;

  JdbcRegistry(DataSource dataSource, Dialect dialect) {
    this.dataSource = dataSource;
    this.dialect = dialect;
    this.now = dialect.nowMillis();
  }

  @Override
  public List<NamespaceEntry> namespaces() {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select =
            connection.prepareStatement(
                "SELECT " + COLUMNS + " FROM idmint_namespace ORDER BY name");
        ResultSet rs = select.executeQuery()) {
      List<NamespaceEntry> entries = new ArrayList<>();
      while (rs.next()) {
        entries.add(entry(rs));
      }
      return entries;
    } catch (SQLException e) {
      throw failure("list the namespaces", e);
    }
  }

  @Override
  public Optional<NamespaceEntry> namespace(String name) {
    try (Connection connection = dataSource.getConnection()) {
      return read(connection, name);
    } catch (SQLException e) {
      throw failure("read namespace " + name, e);
    }
  }

  @Override
  public NamespaceEntry create(String name, String definition) {
    Objects.requireNonNull(definition, "definition");
    try (Connection connection = dataSource.getConnection()) {
      try (PreparedStatement insert =
          connection.prepareStatement(
              "INSERT INTO idmint_namespace (" + COLUMNS + ") VALUES (?, ?, 1, FALSE)")) {
        insert.setString(1, name);
        insert.setString(2, definition);
        insert.executeUpdate();
        return new NamespaceEntry(name, definition, 1, false);
      } catch (SQLException e) {
        if (!JdbcWorkerLeaseStore.isDuplicateKey(e)) {
          throw e;
        }
        NamespaceEntry existing =
            read(connection, name)
                .orElseThrow(
                    () ->
                        new CoordinatorException(
                            "namespace " + name + " collided on insert but cannot be read"));
        throw new NamespaceExistsException(existing);
      }
    } catch (SQLException e) {
      throw failure("create namespace " + name, e);
    }
  }

  @Override
  public NamespaceEntry update(String name, long expectedRevision, String definition) {
    Objects.requireNonNull(definition, "definition");
    try (Connection connection = dataSource.getConnection();
        PreparedStatement update =
            connection.prepareStatement(
                "UPDATE idmint_namespace SET definition = ?, revision = revision + 1"
                    + " WHERE name = ? AND revision = ?")) {
      update.setString(1, definition);
      update.setString(2, name);
      update.setLong(3, expectedRevision);
      int changed = update.executeUpdate();
      NamespaceEntry current =
          read(connection, name).orElseThrow(() -> new UnknownNamespaceException(name));
      if (changed == 0) {
        throw new RevisionConflictException(expectedRevision, current);
      }
      return current;
    } catch (SQLException e) {
      throw failure("update namespace " + name, e);
    }
  }

  @Override
  public NamespaceEntry markIssued(String name) {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement update =
            connection.prepareStatement(
                "UPDATE idmint_namespace SET issued = TRUE, revision = revision + 1"
                    + " WHERE name = ? AND issued = FALSE")) {
      update.setString(1, name);
      update.executeUpdate();
      return read(connection, name).orElseThrow(() -> new UnknownNamespaceException(name));
    } catch (SQLException e) {
      throw failure("record that namespace " + name + " issued IDs", e);
    }
  }

  @Override
  public boolean heartbeat(String nodeId, String info, Duration ttl) {
    Objects.requireNonNull(info, "info");
    long ttlMillis = ttl.toMillis();
    try (Connection connection = dataSource.getConnection()) {
      for (int attempt = 0; attempt < 3; attempt++) {
        try (PreparedStatement update =
            connection.prepareStatement(
                "UPDATE idmint_node SET info = ?, last_heartbeat = "
                    + now
                    + ", expires_at = "
                    + now
                    + " + ? WHERE node_id = ?")) {
          update.setString(1, info);
          update.setLong(2, ttlMillis);
          update.setString(3, nodeId);
          if (update.executeUpdate() > 0) {
            return drainRequested(connection, nodeId);
          }
        }
        try (PreparedStatement insert =
            connection.prepareStatement(
                "INSERT INTO idmint_node"
                    + " (node_id, info, last_heartbeat, expires_at, drain_requested)"
                    + " VALUES (?, ?, "
                    + now
                    + ", "
                    + now
                    + " + ?, FALSE)")) {
          insert.setString(1, nodeId);
          insert.setString(2, info);
          insert.setLong(3, ttlMillis);
          insert.executeUpdate();
          return false;
        } catch (SQLException e) {
          if (!JdbcWorkerLeaseStore.isDuplicateKey(e)) {
            throw e;
          }
          // registered by a concurrent heartbeat of the same id: update it
        }
      }
      throw new CoordinatorException("node " + nodeId + " could not be registered");
    } catch (SQLException e) {
      throw failure("record the heartbeat of node " + nodeId, e);
    }
  }

  @Override
  public List<NodeEntry> nodes() {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select =
            connection.prepareStatement(
                "SELECT node_id, info, last_heartbeat, expires_at, drain_requested, "
                    + now
                    + " FROM idmint_node ORDER BY node_id");
        ResultSet rs = select.executeQuery()) {
      List<NodeEntry> nodes = new ArrayList<>();
      while (rs.next()) {
        nodes.add(
            new NodeEntry(
                rs.getString(1),
                rs.getString(2),
                rs.getLong(3),
                rs.getLong(4),
                rs.getBoolean(5),
                rs.getLong(6)));
      }
      return nodes;
    } catch (SQLException e) {
      throw failure("list the nodes", e);
    }
  }

  @Override
  public boolean requestDrain(String nodeId) {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement update =
            connection.prepareStatement(
                "UPDATE idmint_node SET drain_requested = TRUE WHERE node_id = ?")) {
      update.setString(1, nodeId);
      if (update.executeUpdate() > 0) {
        return true;
      }
      // MySQL counts only changed rows: a repeated request changes nothing but the node exists.
      return drainRequested(connection, nodeId);
    } catch (SQLException e) {
      throw failure("request a drain of node " + nodeId, e);
    }
  }

  @Override
  public void deregister(String nodeId) {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement delete =
            connection.prepareStatement("DELETE FROM idmint_node WHERE node_id = ?")) {
      delete.setString(1, nodeId);
      delete.executeUpdate();
    } catch (SQLException e) {
      throw failure("deregister node " + nodeId, e);
    }
  }

  private static boolean drainRequested(Connection connection, String nodeId) throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement("SELECT drain_requested FROM idmint_node WHERE node_id = ?")) {
      select.setString(1, nodeId);
      try (ResultSet rs = select.executeQuery()) {
        return rs.next() && rs.getBoolean(1);
      }
    }
  }

  private static Optional<NamespaceEntry> read(Connection connection, String name)
      throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement(
            "SELECT " + COLUMNS + " FROM idmint_namespace WHERE name = ?")) {
      select.setString(1, name);
      try (ResultSet rs = select.executeQuery()) {
        return rs.next() ? Optional.of(entry(rs)) : Optional.empty();
      }
    }
  }

  private static NamespaceEntry entry(ResultSet rs) throws SQLException {
    return new NamespaceEntry(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getBoolean(4));
  }

  private CoordinatorException failure(String what, SQLException e) {
    return new CoordinatorException(
        "could not " + what + " in " + dialect.displayName() + ": " + e.getMessage(), e);
  }
}
