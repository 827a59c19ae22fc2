-- The earliest time something becomes due: a queued delivery of an approved announcement (the
-- partial index is walked in order and stops at the first), an expiring lease, a recurring rule.
SELECT MIN(t) FROM (
    SELECT (SELECT d.next_attempt_at FROM deliveries d
            WHERE d.state = 'queued'
              AND EXISTS (SELECT 1 FROM announcements a WHERE a.id = d.announcement_id AND a.state = 'approved')
            ORDER BY d.next_attempt_at LIMIT 1) AS t
    UNION ALL
    SELECT MIN(lease_expires_at) FROM deliveries WHERE state = 'in_flight'
    UNION ALL
    SELECT MIN(next_fire_at) FROM recurring_rules WHERE active = 1
)
