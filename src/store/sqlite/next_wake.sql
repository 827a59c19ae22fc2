SELECT MIN(t) FROM (
    SELECT MIN(next_attempt_at) AS t FROM deliveries WHERE state = 'queued'
    UNION ALL
    SELECT MIN(lease_expires_at) FROM deliveries WHERE state = 'in_flight'
    UNION ALL
    SELECT MIN(next_fire_at) FROM recurring_rules WHERE active = 1
)
