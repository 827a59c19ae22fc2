-- Claim due deliveries for one owner: in-flight ones whose lease ran out (their owner died or
-- hung: that attempt is now unsettled, and it started at its claim time), then queued ones whose
-- time has come, earliest first. Only deliveries of an approved announcement are ever claimed.
-- Every claim takes the next number of the delivery's claim sequence: the token that fences
-- what it writes.
--
-- Each arm walks its partial index in the order it returns rows (`deliveries_in_flight` by
-- lease, `deliveries_queued` by next attempt) and the two are merged, so LIMIT stops after the
-- rows it takes: the cost of a claim does not grow with the backlog. Ordering by `due_at`
-- instead would sort every due row on every claim.
UPDATE deliveries
SET state = 'in_flight',
    attempts = attempts + 1,
    claim_seq = claim_seq + 1,
    unsettled = CASE WHEN state = 'in_flight' THEN 1 ELSE unsettled END,
    uncertain_since = CASE WHEN state = 'in_flight' THEN claimed_at ELSE uncertain_since END,
    claimed_at = ?3,
    lease_owner = ?1,
    lease_expires_at = ?2,
    updated_at = ?3
WHERE id IN (
    SELECT id FROM (
        -- Deliveries a dead daemon left behind are resumed before newer work (rank 0).
        SELECT 0 AS ready, d.id FROM deliveries d
        WHERE d.state = 'in_flight' AND d.lease_expires_at <= ?3
          AND EXISTS (SELECT 1 FROM announcements a WHERE a.id = d.announcement_id AND a.state = 'approved')
        UNION ALL
        SELECT d.next_attempt_at, d.id FROM deliveries d
        WHERE d.state = 'queued' AND d.next_attempt_at <= ?3
          AND EXISTS (SELECT 1 FROM announcements a WHERE a.id = d.announcement_id AND a.state = 'approved')
        ORDER BY 1
        LIMIT ?4
    )
)
-- A claim is also guarded by the state it expects, so two claimers can never both win a row.
AND (state = 'queued' OR (state = 'in_flight' AND lease_expires_at <= ?3))
RETURNING id, announcement_id, channel, payload, idempotency_key, attempts, unsettled, due_at,
          publish_state, claim_seq, uncertain_since
