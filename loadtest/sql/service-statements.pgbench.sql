-- The same rows as create-order.pgbench.sql, written with the service's own statements (as pg_stat_statements
-- shows them at 171594d): the claim's advisory lock and lookup, nextval, the order with its lines (unnest of one
-- array per column) and first step in one statement, the event with its fan-out, and the stored response as an
-- upsert. Values the service binds are constants here, so PostgreSQL parses them once per plan, not per call;
-- each statement is its own round trip, 8 in all, as in create-order.pgbench.sql. Run beside that script, and
-- with loadtest/lib/cpu-by-process.py, it says whether the service's statements cost PostgreSQL more CPU than
-- pgbench's for the same rows: pgbench -n -M prepared -c 16 -j 2 -T 20 -f this-file orders_pgbench
\set key random(1, 1000000000000)
BEGIN;
SELECT pg_try_advisory_xact_lock(hashtextextended('key_pgbench/statements-' || :client_id || '-' || :key, 0));
SELECT request_hash, response_status, response_body, order_number
  FROM idempotency_record
 WHERE api_key_id = 'key_pgbench' AND idempotency_key = 'statements-' || :client_id || '-' || :key AND expires_at > now();
SELECT nextval('order_number_seq') AS seq \gset
WITH new_order AS (
  INSERT INTO customer_order (order_number, test, sequence_value, number_digits, dispensary_id, status, fulfillment,
                              customer_name, customer_phone, customer_email, customer_birth_date, customer_type,
                              delivery_line1, delivery_line2, delivery_city, delivery_region, delivery_postal_code,
                              total_cents, created_at, updated_at, version)
  VALUES (lpad(:seq::text, 9, '0'), false, :seq, 8, 'pgbench-dispensary', 'PENDING', 'PICKUP', 'Ada Lovelace',
          '+14155550123', 'ada@example.com', DATE '1990-12-10', 'RECREATIONAL', NULL, NULL, NULL, NULL, NULL, 8899,
          now(), now(), 0)
  RETURNING id),
new_lines AS (
  INSERT INTO order_line (order_id, line_no, sku, name, category, quantity, unit_price_cents, net_weight_grams,
                          thc_mg, line_total_cents)
  SELECT new_order.id, line.*
    FROM new_order, unnest('{1,2}'::integer[], '{FL-OG-35,ED-GUM-10}'::text[],
                           '{"OG Kush 3.5g","Gummies 10mg"}'::text[], '{FLOWER,EDIBLE}'::text[], '{2,1}'::integer[],
                           '{3500,1899}'::bigint[], '{3.5,NULL}'::numeric[], '{NULL,100}'::numeric[],
                           '{7000,1899}'::bigint[]) AS line)
INSERT INTO order_transition (order_id, from_status, to_status, reason, api_key_id, at)
SELECT new_order.id, NULL, 'PENDING', NULL, 'key_pgbench', now() FROM new_order;
WITH event AS (
  INSERT INTO order_event (id, type, dispensary_id, order_number, test, payload, occurred_at)
  VALUES ('evt_statements_' || :client_id || '_' || :key || '_' || :seq, 'order.created', 'pgbench-dispensary',
          lpad(:seq::text, 9, '0'), false, repeat('e', 189), now())
  RETURNING id, seq, type, order_number)
INSERT INTO webhook_delivery (subscription_id, event_id, event_seq, order_number, type, state, next_attempt_at,
                              created_at, updated_at)
SELECT s.id, event.id, event.seq, event.order_number, event.type, 'pending', now(), now(), now()
FROM event JOIN webhook_subscription s ON s.dispensary_id = 'pgbench-dispensary' AND s.deleted_at IS NULL
 AND event.type = ANY (s.events) AND (s.include_test OR NOT false);
INSERT INTO idempotency_record (api_key_id, idempotency_key, request_hash, response_status, response_body,
                                order_number, created_at, expires_at)
VALUES ('key_pgbench', 'statements-' || :client_id || '-' || :key, repeat('a', 64), 201, repeat('x', 960),
        :seq::text, now(), now() + interval '24 hours')
ON CONFLICT (api_key_id, idempotency_key) DO UPDATE
   SET request_hash = EXCLUDED.request_hash, response_status = EXCLUDED.response_status,
       response_body = EXCLUDED.response_body, order_number = EXCLUDED.order_number,
       created_at = EXCLUDED.created_at, expires_at = EXCLUDED.expires_at;
END;
