-- Namespace definitions shared by every node (DESIGN.md rule 7). definition is the server's JSON;
-- revision starts at 1 and grows with every change; issued flips once a node issued IDs.
CREATE TABLE idmint_namespace (
    name       VARCHAR(64)  NOT NULL PRIMARY KEY,
    definition TEXT         NOT NULL,
    revision   BIGINT       NOT NULL,
    issued     BOOLEAN      NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

-- Nodes and their heartbeats. Times are milliseconds since the Unix epoch by this database's clock.
CREATE TABLE idmint_node (
    node_id         VARCHAR(255) NOT NULL PRIMARY KEY,
    info            TEXT         NOT NULL,
    last_heartbeat  BIGINT       NOT NULL,
    expires_at      BIGINT       NOT NULL,
    drain_requested BOOLEAN      NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;
