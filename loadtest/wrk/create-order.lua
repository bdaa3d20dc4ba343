-- wrk's closed loop for create-order: each connection sends the next request as soon as its last one is answered.
-- A two-line order (flower and an edible, the shape pgbench's transaction writes) with an Idempotency-Key of its
-- own on every request, so every request is a new order, never a replay.
--   ORDERS_KEY=dsk_... ORDERS_DISPENSARY=lt-1 wrk -t2 -c16 -d20s --latency -s create-order.lua http://host:port
-- Run by loadtest/lib/suite.sh (the closed step).

local threads = 0

function setup(thread)
  thread:set("id", threads)
  threads = threads + 1
end

function init(args)
  -- Unique across threads and runs: the thread, the wall-clock second the run began, a counter.
  prefix = string.format("wrk-%d-%d-", id, os.time())
  sent = 0
  wrk.method = "POST"
  wrk.path = "/orders"
  wrk.headers["Authorization"] = "Bearer " .. os.getenv("ORDERS_KEY")
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Accept"] = "application/json"
  wrk.body = string.format([[{"dispensaryId": "%s",
 "customer": {"name": "Ada Lovelace", "phone": "+14155550123", "email": "ada@example.com",
              "birthDate": "1990-12-10", "type": "RECREATIONAL"},
 "fulfillment": "PICKUP",
 "items": [{"sku": "FL-OG-35", "name": "OG Kush 3.5g", "category": "FLOWER", "quantity": 2,
            "unitPriceCents": 3500, "netWeightGrams": 3.5},
           {"sku": "ED-GUM-10", "name": "Gummies 10mg", "category": "EDIBLE", "quantity": 1,
            "unitPriceCents": 1899, "thcMg": 100}]}]], os.getenv("ORDERS_DISPENSARY"))
end

function request()
  sent = sent + 1
  wrk.headers["Idempotency-Key"] = prefix .. sent
  return wrk.format()
end
