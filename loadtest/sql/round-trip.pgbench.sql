-- One round trip that does nothing: what PostgreSQL spends per request and answer on this machine, apart from any
-- work (the statement is planned once, -M prepared). With the create's transaction (create-order.pgbench.sql, 8
-- round trips) and the service's (4), it says how much of a transaction's server CPU is the talking, not the rows.
-- Run: pgbench -n -M prepared -c 16 -j 2 -T 20 -f this-file, beside loadtest/lib/cpu-by-process.py.
SELECT 1;
