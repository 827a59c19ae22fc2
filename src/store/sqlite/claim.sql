-- Claim due deliveries for one owner: queued ones whose time has come, and in-flight ones whose
-- lease ran out (their owner died or hung: that attempt is now unsettled).
UPDATE deliveries
SET state = 'in_flight',
    attempts = attempts + 1,
    unsettled = CASE WHEN state = 'in_flight' THEN 1 ELSE unsettled END,
    lease_owner = ?1,
    lease_expires_at = ?2,
    updated_at = ?3
WHERE id IN (
    SELECT id FROM (
        SELECT id, due_at FROM deliveries
        WHERE state = 'queued' AND next_attempt_at <= ?3
        UNION ALL
        SELECT id, due_at FROM deliveries
        WHERE state = 'in_flight' AND lease_expires_at <= ?3
    )
    -- Oldest work first, so deliveries a dead daemon left behind are resumed before newer ones.
    ORDER BY due_at, id
    LIMIT ?4
)
RETURNING id, announcement_id, channel, payload, idempotency_key, attempts, unsettled, due_at, publish_state
