-- Order events and their webhook deliveries (the webhook package).
--
-- Webhook subscriptions of a dispensary. The secret signs (Standard Webhooks: HMAC-SHA256 with the bytes after
-- whsec_), so it is kept as it is; it is shown once, at creation or rotation, and never logged. For a day after a
-- rotation the previous secret signs too. A deleted subscription stays, so its deliveries stay accounted for;
-- pruned_* count the delivered and cancelled deliveries the pruner removed, so the summary always adds up.
CREATE TABLE webhook_subscription (
    id                          varchar(32)   PRIMARY KEY,
    dispensary_id               varchar(64)   NOT NULL REFERENCES dispensary (id),
    url                         varchar(2048) NOT NULL,
    events                      text[]        NOT NULL,
    include_test                boolean       NOT NULL,
    secret                      varchar(100)  NOT NULL,
    previous_secret             varchar(100),
    previous_secret_expires_at  timestamptz,
    created_at                  timestamptz   NOT NULL,
    deleted_at                  timestamptz,
    pruned_delivered            bigint        NOT NULL DEFAULT 0,
    pruned_cancelled            bigint        NOT NULL DEFAULT 0
);
CREATE INDEX webhook_subscription_dispensary_idx ON webhook_subscription (dispensary_id) WHERE deleted_at IS NULL;

-- The outbox: one row per order change, written in the order's own transaction, with the exact body every
-- delivery of it sends. seq orders the events of one order (its transitions are serialised by the order's row lock).
CREATE TABLE order_event (
    id            varchar(40)  PRIMARY KEY,
    seq           bigint       GENERATED ALWAYS AS IDENTITY UNIQUE,
    type          varchar(40)  NOT NULL,
    dispensary_id varchar(64)  NOT NULL,
    order_number  varchar(24)  NOT NULL,
    test          boolean      NOT NULL,
    payload       text         NOT NULL,
    occurred_at   timestamptz  NOT NULL
);
CREATE INDEX order_event_occurred_idx ON order_event (occurred_at);

-- One delivery per event and subscription, fanned out in the order's transaction. state: pending (not yet
-- attempted), retrying (failed, waiting for next_attempt_at), delivered, dead (the retry schedule is spent),
-- cancelled (its subscription was deleted). A worker claims a due row by moving next_attempt_at and leased_until
-- a lease ahead; if it dies, the row is due again when the lease ends (at least once, with the same webhook-id).
-- failures counts attempts a receiver failed (non-2xx, timeout, refused), not those a dead worker left unfinished.
CREATE TABLE webhook_delivery (
    subscription_id  varchar(32)  NOT NULL REFERENCES webhook_subscription (id),
    event_id         varchar(40)  NOT NULL REFERENCES order_event (id),
    event_seq        bigint       NOT NULL,
    order_number     varchar(24)  NOT NULL,
    type             varchar(40)  NOT NULL,
    state            varchar(16)  NOT NULL
        CHECK (state IN ('pending', 'retrying', 'delivered', 'dead', 'cancelled')),
    attempts         integer      NOT NULL DEFAULT 0,
    failures         integer      NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz,
    leased_until     timestamptz,
    last_status_code integer,
    last_error       varchar(500),
    created_at       timestamptz  NOT NULL,
    updated_at       timestamptz  NOT NULL,
    delivered_at     timestamptz,
    PRIMARY KEY (subscription_id, event_id)
);
-- What the workers claim: due rows per subscription, oldest first, in the claim's own order (no sort, so a claim
-- reads only the rows it takes).
CREATE INDEX webhook_delivery_due_idx ON webhook_delivery (subscription_id, next_attempt_at, event_seq)
    WHERE state IN ('pending', 'retrying');
-- An order's earlier undelivered event holds back its later ones (events of one order arrive in order).
CREATE INDEX webhook_delivery_order_idx ON webhook_delivery (subscription_id, order_number, event_seq)
    WHERE state IN ('pending', 'retrying');
-- Listing by state, and pruning.
CREATE INDEX webhook_delivery_state_idx ON webhook_delivery (subscription_id, state, event_seq);
CREATE INDEX webhook_delivery_prune_idx ON webhook_delivery (updated_at) WHERE state IN ('delivered', 'cancelled');
CREATE INDEX webhook_delivery_event_idx ON webhook_delivery (event_id);
