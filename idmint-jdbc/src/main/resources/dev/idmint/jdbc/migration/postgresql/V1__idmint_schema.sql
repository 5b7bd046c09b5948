-- Worker claims. expires_at is in milliseconds since the Unix epoch by this database's clock;
-- reserved_until is the horizon in milliseconds by the issuing nodes' clocks and only ever rises.
CREATE TABLE idmint_worker (
    worker         INTEGER      NOT NULL PRIMARY KEY,
    owner          VARCHAR(255),
    fencing_epoch  BIGINT       NOT NULL,
    expires_at     BIGINT       NOT NULL,
    reserved_until BIGINT       NOT NULL
);

-- Segment namespaces: the next range starts at max_id.
CREATE TABLE idmint_segment (
    namespace  VARCHAR(64)  NOT NULL PRIMARY KEY,
    max_id     BIGINT       NOT NULL,
    step       BIGINT       NOT NULL,
    updated_at TIMESTAMPTZ  NOT NULL DEFAULT now()
);
