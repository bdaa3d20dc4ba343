-- service-statements.pgbench.sql with the service's values bound as text parameters, as pgJDBC sends them
-- (timestamps, the lines' nine arrays, the customer's fields), so PostgreSQL parses each on every call; the values
-- come from the nextval round trip (\gset), which the service also makes. Compared with that script it says what
-- the binding costs PostgreSQL: pgbench -n -M prepared -c 16 -j 2 -T 20 -f this-file orders_pgbench
\set key random(1, 1000000000000)
BEGIN;
SELECT pg_try_advisory_xact_lock(hashtextextended('key_pgbench/binds-' || :client_id || '-' || :key, 0));
SELECT request_hash, response_status, response_body, order_number
  FROM idempotency_record
 WHERE api_key_id = 'key_pgbench' AND idempotency_key = 'binds-' || :client_id || '-' || :key AND expires_at > now();
SELECT nextval('order_number_seq') AS seq, now()::text AS ts, (now() + interval '24 hours')::text AS expires,
       'Ada Lovelace' AS cname, '+14155550123' AS phone, 'ada@example.com' AS email, '1990-12-10' AS born,
       '{1,2}' AS l_no, '{FL-OG-35,ED-GUM-10}' AS l_sku, '{"OG Kush 3.5g","Gummies 10mg"}' AS l_name,
       '{FLOWER,EDIBLE}' AS l_cat, '{2,1}' AS l_qty, '{3500,1899}' AS l_price, '{3.5,NULL}' AS l_weight,
       '{NULL,100}' AS l_thc, '{7000,1899}' AS l_total \gset
WITH new_order AS (
  INSERT INTO customer_order (order_number, test, sequence_value, number_digits, dispensary_id, status, fulfillment,
                              customer_name, customer_phone, customer_email, customer_birth_date, customer_type,
                              delivery_line1, delivery_line2, delivery_city, delivery_region, delivery_postal_code,
                              total_cents, created_at, updated_at, version)
  VALUES (lpad(:seq::text, 9, '0'), false, :seq, 8, 'pgbench-dispensary', 'PENDING', 'PICKUP', :cname::text,
          :phone::text, :email::text, :born::date, 'RECREATIONAL', NULL, NULL, NULL, NULL, NULL, 8899,
          :ts::timestamptz, :ts::timestamptz, 0)
  RETURNING id),
new_lines AS (
  INSERT INTO order_line (order_id, line_no, sku, name, category, quantity, unit_price_cents, net_weight_grams,
                          thc_mg, line_total_cents)
  SELECT new_order.id, line.*
    FROM new_order, unnest(:l_no::integer[], :l_sku::text[], :l_name::text[], :l_cat::text[], :l_qty::integer[],
                           :l_price::bigint[], :l_weight::numeric[], :l_thc::numeric[], :l_total::bigint[]) AS line)
INSERT INTO order_transition (order_id, from_status, to_status, reason, api_key_id, at)
SELECT new_order.id, NULL, 'PENDING', NULL, 'key_pgbench', :ts::timestamptz FROM new_order;
WITH event AS (
  INSERT INTO order_event (id, type, dispensary_id, order_number, test, payload, occurred_at)
  VALUES ('evt_binds_' || :client_id || '_' || :key || '_' || :seq, 'order.created', 'pgbench-dispensary',
          lpad(:seq::text, 9, '0'), false, repeat('e', 189), :ts::timestamptz)
  RETURNING id, seq, type, order_number)
INSERT INTO webhook_delivery (subscription_id, event_id, event_seq, order_number, type, state, next_attempt_at,
                              created_at, updated_at)
SELECT s.id, event.id, event.seq, event.order_number, event.type, 'pending', now(), now(), now()
FROM event JOIN webhook_subscription s ON s.dispensary_id = 'pgbench-dispensary' AND s.deleted_at IS NULL
 AND event.type = ANY (s.events) AND (s.include_test OR NOT false);
INSERT INTO idempotency_record (api_key_id, idempotency_key, request_hash, response_status, response_body,
                                order_number, created_at, expires_at)
VALUES ('key_pgbench', 'binds-' || :client_id || '-' || :key, repeat('a', 64), 201, repeat('x', 960),
        :seq::text, :ts::timestamptz, :expires::timestamptz)
ON CONFLICT (api_key_id, idempotency_key) DO UPDATE
   SET request_hash = EXCLUDED.request_hash, response_status = EXCLUDED.response_status,
       response_body = EXCLUDED.response_body, order_number = EXCLUDED.order_number,
       created_at = EXCLUDED.created_at, expires_at = EXCLUDED.expires_at;
END;
