-- What the service writes for one create-order with an Idempotency-Key, as one transaction: the order number's
-- sequence value, the idempotency row with the stored response, the order row, its two lines, its first
-- transition and its order.created event in the outbox, fanned out to the dispensary's subscriptions (none here, as
-- in the throughput step), into the service's own tables (migrated from its Flyway scripts: same indexes, same
-- foreign keys). The event is the service's own statement (webhook.DeliveryStore.APPEND) with a body of its size.
-- Run by loadtest/lib/suite.sh with: pgbench -n -M prepared -c <pool size> -j 2 -T <s> -f this-file
\set key random(1, 1000000000000)
BEGIN;
SELECT nextval('order_number_seq') AS seq, nextval('customer_order_id_seq') AS oid,
       nextval('order_line_id_seq') AS lid, nextval('order_transition_id_seq') AS tid \gset
INSERT INTO idempotency_record (api_key_id, idempotency_key, request_hash, response_status, response_body,
                                order_number, created_at, expires_at)
VALUES ('key_pgbench', 'pgbench-' || :client_id || '-' || :key || '-' || :seq, repeat('a', 64), 201,
        repeat('x', 960), :seq::text, now(), now() + interval '24 hours');
INSERT INTO customer_order (id, order_number, test, sequence_value, number_digits, dispensary_id, status, fulfillment,
                            customer_name, customer_phone, customer_email, customer_birth_date, customer_type,
                            total_cents, created_at, updated_at, version)
VALUES (:oid, lpad(:seq::text, 9, '0'), false, :seq, 8, 'pgbench-dispensary', 'PENDING', 'PICKUP', 'Ada Lovelace',
        '+14155550123', 'ada@example.com', DATE '1990-12-10', 'RECREATIONAL', 8899, now(), now(), 0);
INSERT INTO order_line (id, order_id, line_no, sku, name, category, quantity, unit_price_cents, net_weight_grams,
                        thc_mg, line_total_cents)
VALUES (:lid, :oid, 1, 'FL-OG-35', 'OG Kush 3.5g', 'FLOWER', 2, 3500, 3.5, NULL, 7000),
       (:lid + 1, :oid, 2, 'ED-GUM-10', 'Gummies 10mg', 'EDIBLE', 1, 1899, NULL, 100, 1899);
INSERT INTO order_transition (id, order_id, from_status, to_status, reason, api_key_id, at)
VALUES (:tid, :oid, NULL, 'PENDING', NULL, 'key_pgbench', now());
WITH event AS (
  INSERT INTO order_event (id, type, dispensary_id, order_number, test, payload, occurred_at)
  VALUES ('evt_pgbench_' || :client_id || '_' || :key || '_' || :seq, 'order.created', 'pgbench-dispensary',
          lpad(:seq::text, 9, '0'), false, repeat('e', 189), now())
  RETURNING id, seq, type, order_number)
INSERT INTO webhook_delivery (subscription_id, event_id, event_seq, order_number, type, state, next_attempt_at,
                              created_at, updated_at)
SELECT s.id, event.id, event.seq, event.order_number, event.type, 'pending', now(), now(), now()
FROM event JOIN webhook_subscription s ON s.dispensary_id = 'pgbench-dispensary' AND s.deleted_at IS NULL
 AND event.type = ANY (s.events) AND (s.include_test OR NOT false);
END;
