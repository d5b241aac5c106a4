-- Official tallies: what a claim counts in a tally (tanks, personnel: data/quantities.yaml tally_items)
-- and its period ("cumulative", a running total; "daily", one day's change). A figure joins claims of one
-- item and period only: yesterday's running total is not today's, and neither is the day's change.
ALTER TABLE claims ADD COLUMN item VARCHAR;
ALTER TABLE claims ADD COLUMN period VARCHAR;
ALTER TABLE figures ADD COLUMN period VARCHAR;
