package dev.idmint.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.idmint.core.CoordinatorException;
import dev.idmint.core.InvalidConfigurationException;
import dev.idmint.core.coordinator.Coordinator;
import dev.idmint.core.coordinator.Coordinators;
import dev.idmint.core.lease.WorkerLeaseStore;
import dev.idmint.core.registry.Registry;
import dev.idmint.core.segment.SegmentStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A coordinator on PostgreSQL, MySQL/MariaDB or H2: a HikariCP pool, the schema checked or migrated
 * at {@link #start()}, and the two stores. Nothing connects before {@code start()}.
 *
 * <pre>{@code
 * JdbcCoordinator coordinator =
 *     JdbcCoordinator.builder("jdbc:postgresql://db:5432/ids").user("idmint").password(secret).build();
 * coordinator.start();
 * }</pre>
 */
public final class JdbcCoordinator implements Coordinator {
  private final Builder settings;
  private final Dialect dialect;
  private HikariDataSource dataSource;
  private JdbcWorkerLeaseStore workerLeases;
  private JdbcSegmentStore segments;
  private JdbcRegistry registry;

  private JdbcCoordinator(Builder settings, Dialect dialect) {
    this.settings = settings;
    this.dialect = dialect;
  }

  public static Builder builder(String jdbcUrl) {
    return new Builder(jdbcUrl);
  }

  /**
   * Opens the pool (failing within the connect timeout if the database cannot be reached or refuses
   * the credentials) and migrates or validates the schema.
   *
   * @throws CoordinatorException with one sentence that names what to fix
   * @throws IllegalStateException if already started
   */
  public synchronized JdbcCoordinator start() {
    if (dataSource != null) {
      throw new IllegalStateException("already started: " + description());
    }
    HikariDataSource pool;
    try {
      pool = new HikariDataSource(poolConfig());
    } catch (RuntimeException e) {
      throw new CoordinatorException(
          "cannot connect to "
              + dialect.displayName()
              + " at "
              + Coordinators.redact(settings.url)
              + ": "
              + rootMessage(e)
              + "; check the host, port, database name, user and password",
          e);
    }
    try {
      prepareSchema(pool);
    } catch (RuntimeException e) {
      pool.close();
      throw e;
    }
    this.dataSource = pool;
    this.workerLeases = new JdbcWorkerLeaseStore(pool, dialect);
    this.segments = new JdbcSegmentStore(pool, dialect);
    this.registry = new JdbcRegistry(pool, dialect);
    return this;
  }

  @Override
  public String description() {
    return dialect.displayName() + " " + Coordinators.redact(settings.url);
  }

  @Override
  public synchronized WorkerLeaseStore workerLeases() {
    checkStarted();
    return workerLeases;
  }

  @Override
  public synchronized SegmentStore segments() {
    checkStarted();
    return segments;
  }

  @Override
  public synchronized Registry registry() {
    checkStarted();
    return registry;
  }

  @Override
  public synchronized void close() {
    if (dataSource != null) {
      dataSource.close();
    }
  }

  private void checkStarted() {
    if (dataSource == null) {
      throw new IllegalStateException("not started: " + description());
    }
  }

  private HikariConfig poolConfig() {
    HikariConfig config = new HikariConfig();
    config.setPoolName("idmint-jdbc");
    config.setJdbcUrl(settings.url);
    if (settings.user != null) {
      config.setUsername(settings.user);
    }
    if (settings.password != null) {
      config.setPassword(settings.password);
    }
    config.setMaximumPoolSize(settings.poolSize);
    config.setMinimumIdle(Math.min(2, settings.poolSize));
    long connectMillis = settings.connectTimeout.toMillis();
    config.setConnectionTimeout(connectMillis);
    config.setValidationTimeout(Math.max(250, Math.min(connectMillis, 2_000)));
    config.setInitializationFailTimeout(connectMillis);
    connectionProperties(dialect, connectMillis, settings.socketTimeout.toMillis())
        .forEach(config::addDataSourceProperty);
    config.setConnectionInitSql(sessionSql(dialect, settings.socketTimeout.toMillis()));
    return config;
  }

  /** The statement every pooled connection runs first (see {@link #connectionProperties}). */
  static String sessionSql(Dialect dialect, long socketMillis) {
    long socketSeconds = Math.max(1, socketMillis / 1000);
    return switch (dialect) {
      case POSTGRESQL -> null; // set through the startup options instead
      // idle_transaction_timeout is MariaDB's (10.3+); MySQL skips a /*M! */ comment.
      case MYSQL ->
          "SET SESSION innodb_lock_wait_timeout = "
              + socketSeconds
              + " /*M!, idle_transaction_timeout = "
              + socketSeconds
              + " */";
      // Embedded: no network timeouts, but concurrent allocations may queue on the row lock
      // longer than H2's default of one second on a busy machine.
      case H2 -> "SET LOCK_TIMEOUT " + Math.max(socketMillis, 10_000);
    };
  }

  /**
   * The driver properties of every pooled connection. Besides the network timeouts, two server-side
   * limits keep one stalled node from blocking the others: a session that sits inside a transaction
   * for longer than the socket timeout (a node paused by SIGSTOP, a long GC pause or a frozen VM in
   * the middle of a renewal) is ended by the server, which rolls it back and frees the worker row
   * it locked; and a statement waits at most that long for a row lock. Both only ever make a
   * renewal or claim fail, which the lease logic already treats as "not renewed". PostgreSQL gets
   * them as startup options, MySQL/MariaDB through {@link #sessionSql}.
   */
  static Map<String, Object> connectionProperties(
      Dialect dialect, long connectMillis, long socketMillis) {
    Map<String, Object> properties = new LinkedHashMap<>();
    long socketSeconds = Math.max(1, socketMillis / 1000);
    switch (dialect) {
      case POSTGRESQL -> {
        properties.put("connectTimeout", Math.max(1, connectMillis / 1000));
        properties.put("socketTimeout", socketSeconds);
        properties.put("tcpKeepAlive", true);
        properties.put(
            "options",
            "-c lock_timeout="
                + socketMillis
                + " -c idle_in_transaction_session_timeout="
                + socketMillis);
      }
      case MYSQL -> {
        properties.put("connectTimeout", connectMillis);
        properties.put("socketTimeout", socketMillis);
      }
      case H2 -> {}
    }
    return properties;
  }

  private void prepareSchema(HikariDataSource pool) {
    String where = dialect.displayName() + " at " + Coordinators.redact(settings.url);
    if (settings.schemaMode == SchemaMode.MIGRATE) {
      int lockWaitSeconds = (int) Math.max(1, settings.socketTimeout.toSeconds() / 2);
      new SchemaMigrations(pool, dialect, where, settings.user, lockWaitSeconds).migrate();
      return;
    }
    // Validate-only checks what idmint needs (the tables and their columns), not the history:
    // tables created by hand from the migration scripts are just as good.
    List<String> missing = missingTables(pool);
    if (!missing.isEmpty()) {
      throw new CoordinatorException(
          "the idmint tables "
              + missing
              + " are missing or incomplete in "
              + where
              + " (schema=validate); run once with schema=migrate or apply the migrations in"
              + " idmint-jdbc's "
              + dialect.migrationFolder());
    }
  }

  private static List<String> missingTables(HikariDataSource pool) {
    List<String> missing = new ArrayList<>();
    Map<String, String> needed =
        Map.of(
            "idmint_worker", "worker, owner, fencing_epoch, expires_at, reserved_until",
            "idmint_segment", "namespace, max_id, step, updated_at",
            "idmint_namespace", "name, definition, revision, issued",
            "idmint_node", "node_id, info, last_heartbeat, expires_at, drain_requested");
    for (String table :
        List.of("idmint_worker", "idmint_segment", "idmint_namespace", "idmint_node")) {
      try (Connection connection = pool.getConnection();
          Statement statement = connection.createStatement()) {
        statement
            .executeQuery("SELECT " + needed.get(table) + " FROM " + table + " WHERE 1 = 0")
            .close();
      } catch (SQLException e) {
        // A restricted account without SELECT on a table fails here too: say so.
        String reason = e.getMessage() == null ? "" : e.getMessage().strip().split("\n")[0];
        missing.add(
            reason.toLowerCase(java.util.Locale.ROOT).contains("permission")
                    || reason.toLowerCase(java.util.Locale.ROOT).contains("denied")
                ? table + " (" + reason + ")"
                : table);
      }
    }
    return missing;
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage();
    return message == null ? root.getClass().getSimpleName() : message.strip();
  }

  /** Settings of a {@link JdbcCoordinator}; {@link #build()} reports every problem at once. */
  public static final class Builder {
    private final String url;
    private String user;
    private String password;
    private SchemaMode schemaMode = SchemaMode.MIGRATE;
    private int poolSize = 4;
    private Duration connectTimeout = Duration.ofSeconds(5);
    private Duration socketTimeout = Duration.ofSeconds(10);

    private Builder(String url) {
      this.url = url;
    }

    public Builder user(String user) {
      this.user = user;
      return this;
    }

    public Builder password(String password) {
      this.password = password;
      return this;
    }

    public Builder schemaMode(SchemaMode schemaMode) {
      this.schemaMode = schemaMode;
      return this;
    }

    /** Connections in the pool; default 4 (renewals and segment loads are rare and short). */
    public Builder poolSize(int poolSize) {
      this.poolSize = poolSize;
      return this;
    }

    /** How long opening a connection may take; default 5 s. */
    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = connectTimeout;
      return this;
    }

    /** How long one statement may wait for the network; default 10 s. */
    public Builder socketTimeout(Duration socketTimeout) {
      this.socketTimeout = socketTimeout;
      return this;
    }

    /**
     * @throws InvalidConfigurationException listing every problem
     */
    public JdbcCoordinator build() {
      List<String> problems = new ArrayList<>();
      Dialect dialect = url == null ? null : Dialect.of(url);
      if (dialect == null) {
        problems.add(
            "URL must start with jdbc:postgresql:, jdbc:mariadb:, jdbc:mysql: or jdbc:h2: url="
                + (url == null ? null : Coordinators.redact(url)));
      }
      if (poolSize < 1 || poolSize > 100) {
        problems.add("pool-size must be in [1, 100]: pool-size=" + poolSize);
      }
      if (connectTimeout == null || connectTimeout.toMillis() < 250) {
        problems.add("connect-timeout must be at least 250 ms: connect-timeout=" + connectTimeout);
      }
      if (socketTimeout == null || socketTimeout.toMillis() < 1_000) {
        problems.add("socket-timeout must be at least 1 s: socket-timeout=" + socketTimeout);
      }
      Objects.requireNonNull(schemaMode, "schemaMode");
      if (!problems.isEmpty()) {
        throw new InvalidConfigurationException("JDBC coordinator", problems);
      }
      return new JdbcCoordinator(this, dialect);
    }
  }
}
