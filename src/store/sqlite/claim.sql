-- Claim due deliveries for one owner: queued ones whose time has come, and in-flight ones whose
-- lease ran out (their owner died or hung: that attempt is now unsettled, and it started at its
-- claim time). Only deliveries of an approved announcement are ever claimed. Every claim takes
-- the next number of the delivery's claim sequence: the token that fences what it writes.
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
        SELECT id, due_at, announcement_id FROM deliveries
        WHERE state = 'queued' AND next_attempt_at <= ?3
        UNION ALL
        SELECT id, due_at, announcement_id FROM deliveries
        WHERE state = 'in_flight' AND lease_expires_at <= ?3
    ) AS due
    WHERE EXISTS (SELECT 1 FROM announcements a WHERE a.id = due.announcement_id AND a.state = 'approved')
    -- Oldest work first, so deliveries a dead daemon left behind are resumed before newer ones.
    ORDER BY due_at, id
    LIMIT ?4
)
-- A claim is also guarded by the state it expects, so two claimers can never both win a row.
AND (state = 'queued' OR (state = 'in_flight' AND lease_expires_at <= ?3))
RETURNING id, announcement_id, channel, payload, idempotency_key, attempts, unsettled, due_at,
          publish_state, claim_seq, uncertain_since
