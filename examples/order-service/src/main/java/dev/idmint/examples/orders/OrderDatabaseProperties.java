package dev.idmint.examples.orders;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code orders.database.*}: the PostgreSQL database that holds the 4 order tables. It is created
 * (from the {@code postgres} maintenance database) and its tables too, when missing.
 *
 * @param host PostgreSQL host
 * @param port PostgreSQL port
 * @param name the database of the order tables
 * @param user user name
 * @param password password, empty for trust authentication
 * @param poolSize connections in the pool
 * @param synchronousCommit PostgreSQL's {@code synchronous_commit} for this pool's sessions; on by
 *     default. The load test turns it off to spare the disk it shares with other tests: a crash
 *     could then lose the last few committed orders (never duplicate one).
 */
@ConfigurationProperties(prefix = "orders.database")
public record OrderDatabaseProperties(
    String host,
    int port,
    String name,
    String user,
    String password,
    int poolSize,
    @DefaultValue("true") boolean synchronousCommit) {}
