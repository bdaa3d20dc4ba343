-- The check digit of each width starts from a seed of its own (DammCheckDigit.seedForWidth), so that a wider
-- number which loses its leading zero ("04821334" read back as "4821334") never passes as a number of the width
-- below. Widths registered before keep plain Damm (seed 0): their numbers are out there and must stay valid.
-- The default 0 is for those rows, and for a row an older version of the service might still insert (it
-- computes plain Damm); this version always writes the seed it uses.
ALTER TABLE order_number_width
    ADD COLUMN check_seed smallint NOT NULL DEFAULT 0 CHECK (check_seed BETWEEN 0 AND 9);
