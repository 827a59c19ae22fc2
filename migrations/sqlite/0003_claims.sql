-- Fencing by claim: every claim takes the next number of the delivery's claim sequence, and
-- settling and checkpoint writes are conditioned on it, so an attempt that was superseded (its
-- lease ran out while it still ran) can never overwrite the state of the claim that followed.
-- `attempts` cannot serve: waits the platform asked for and a person's retry lower it.
ALTER TABLE deliveries ADD COLUMN claim_seq INTEGER NOT NULL DEFAULT 0;
-- When the current (or last) claim was taken.
ALTER TABLE deliveries ADD COLUMN claimed_at INTEGER;
-- When the attempt whose outcome is unknown started (a crash, a lost answer): a look-up on the
-- platform proves nothing until that attempt can no longer complete.
ALTER TABLE deliveries ADD COLUMN uncertain_since INTEGER;
