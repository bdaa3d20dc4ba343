-- The tenant rows the pgbench transaction's foreign keys point at.
INSERT INTO dispensary (id, name, timezone, fulfillment, minimum_age, purchase_limits, created_at, updated_at, version)
VALUES ('pgbench-dispensary', 'pgbench', 'America/Los_Angeles', '["PICKUP"]', 21, '{}', now(), now(), 0);
INSERT INTO api_key (id, key_hash, role, dispensary_id, created_at)
VALUES ('key_pgbench', repeat('0', 64), 'STOREFRONT', 'pgbench-dispensary', now());
