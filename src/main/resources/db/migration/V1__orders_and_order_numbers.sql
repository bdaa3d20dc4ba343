-- Order numbers come from these sequences through a keyed FF1 permutation (see the ordernumber package).
-- NO CYCLE makes exhaustion fail fast with SQLSTATE 2200H instead of reissuing numbers; the service sets
-- MAXVALUE to 10^digits - 1 at start-up from orders.order-number.digits, so the value here is a placeholder.
CREATE SEQUENCE order_number_seq AS bigint MINVALUE 0 START WITH 0 MAXVALUE 99999999 NO CYCLE;
CREATE SEQUENCE test_order_number_seq AS bigint MINVALUE 0 START WITH 0 MAXVALUE 99999999 NO CYCLE;

-- Every width that ever issued numbers, with a fingerprint (never the key itself) of the key it used, so a
-- restart with another key for a width in use, or a narrowing below what was issued, is refused.
CREATE TABLE order_number_width (
    digits          integer     PRIMARY KEY CHECK (digits BETWEEN 6 AND 18),
    key_fingerprint text        NOT NULL,
    check_digit     boolean     NOT NULL,
    first_used_at   timestamptz NOT NULL DEFAULT now()
);

-- Hibernate allocates ids 50 at a time from these (pooled optimizer), which keeps inserts batched.
CREATE SEQUENCE customer_order_id_seq INCREMENT BY 50;
CREATE SEQUENCE order_line_id_seq INCREMENT BY 50;

CREATE TABLE customer_order (
    id                  bigint       PRIMARY KEY,
    -- Text, not a number: numbers of different widths differ in length and never compare equal.
    -- UNIQUE is a safety net; uniqueness comes from the permutation.
    order_number        varchar(24)  NOT NULL UNIQUE,
    test                boolean      NOT NULL,
    sequence_value      bigint       NOT NULL,
    number_digits       integer      NOT NULL,
    dispensary_id       varchar(64)  NOT NULL,
    status              varchar(32)  NOT NULL,
    fulfillment         varchar(16)  NOT NULL,
    customer_name       varchar(200) NOT NULL,
    customer_phone      varchar(16)  NOT NULL,
    customer_email      varchar(254),
    customer_birth_date date         NOT NULL,
    customer_type       varchar(16)  NOT NULL,
    delivery_line1      varchar(200),
    delivery_line2      varchar(200),
    delivery_city       varchar(100),
    delivery_region     varchar(100),
    delivery_postal_code varchar(20),
    total_cents         bigint       NOT NULL CHECK (total_cents >= 0),
    created_at          timestamptz  NOT NULL,
    updated_at          timestamptz  NOT NULL,
    version             integer      NOT NULL
);

-- Keyset pagination: newest first per dispensary, test orders apart.
CREATE INDEX customer_order_listing_idx ON customer_order (dispensary_id, test, created_at DESC, id DESC);

CREATE TABLE order_line (
    id               bigint        PRIMARY KEY,
    order_id         bigint        NOT NULL REFERENCES customer_order (id) ON DELETE CASCADE,
    line_no          integer       NOT NULL,
    sku              varchar(64)   NOT NULL,
    name             varchar(200)  NOT NULL,
    category         varchar(16)   NOT NULL,
    quantity         integer       NOT NULL CHECK (quantity BETWEEN 1 AND 100),
    unit_price_cents bigint        NOT NULL CHECK (unit_price_cents >= 0),
    net_weight_grams numeric(12, 3),
    thc_mg           numeric(12, 3),
    line_total_cents bigint        NOT NULL,
    UNIQUE (order_id, line_no)
);
