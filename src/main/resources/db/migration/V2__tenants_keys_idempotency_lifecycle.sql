-- Dispensaries: the tenants. Limits and fulfillment types are small documents read whole with the dispensary.
CREATE TABLE dispensary (
    id              varchar(64)  PRIMARY KEY,
    name            varchar(200) NOT NULL,
    timezone        varchar(64)  NOT NULL,
    fulfillment     jsonb        NOT NULL,
    minimum_age     integer      NOT NULL CHECK (minimum_age BETWEEN 18 AND 21),
    purchase_limits jsonb        NOT NULL,
    created_at      timestamptz  NOT NULL,
    updated_at      timestamptz  NOT NULL,
    version         integer      NOT NULL
);

-- API keys are stored as SHA-256 hashes only: the key itself is shown once, at creation.
CREATE TABLE api_key (
    id            varchar(32)  PRIMARY KEY,
    key_hash      varchar(64)  NOT NULL UNIQUE,
    role          varchar(16)  NOT NULL CHECK (role IN ('STOREFRONT', 'INTERNAL')),
    dispensary_id varchar(64)  REFERENCES dispensary (id),
    created_at    timestamptz  NOT NULL,
    revoked_at    timestamptz,
    CHECK ((role = 'STOREFRONT') = (dispensary_id IS NOT NULL))
);

-- NOT VALID: orders stored before dispensaries existed (schema version 1) stay; every new order is checked.
ALTER TABLE customer_order ADD CONSTRAINT customer_order_dispensary_fk
    FOREIGN KEY (dispensary_id) REFERENCES dispensary (id) NOT VALID;

-- Idempotency keys, scoped to the API key that sent them, with the response to replay. A row is written in
-- the same transaction as the order, so there is never one without the other; a concurrent duplicate is told
-- apart by a transaction-scoped advisory lock on the key (see IdempotencyStore), which dies with its request.
CREATE TABLE idempotency_record (
    api_key_id      varchar(32)  NOT NULL REFERENCES api_key (id),
    idempotency_key varchar(255) NOT NULL,
    request_hash    varchar(64)  NOT NULL,
    response_status integer      NOT NULL,
    response_body   text         NOT NULL,
    order_number    varchar(24)  NOT NULL,
    created_at      timestamptz  NOT NULL,
    expires_at      timestamptz  NOT NULL,
    PRIMARY KEY (api_key_id, idempotency_key)
);
CREATE INDEX idempotency_record_expiry_idx ON idempotency_record (expires_at);

-- Every lifecycle step, with its time and the key that made it; creation is the first.
CREATE SEQUENCE order_transition_id_seq INCREMENT BY 50;
CREATE TABLE order_transition (
    id          bigint       PRIMARY KEY,
    order_id    bigint       NOT NULL REFERENCES customer_order (id) ON DELETE CASCADE,
    from_status varchar(32),
    to_status   varchar(32)  NOT NULL,
    reason      varchar(500),
    api_key_id  varchar(32)  NOT NULL,
    at          timestamptz  NOT NULL
);
CREATE INDEX order_transition_order_idx ON order_transition (order_id, at);
