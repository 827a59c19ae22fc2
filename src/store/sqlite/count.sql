SELECT COUNT(*) FROM deliveries d
WHERE d.due_at >= ?4 AND d.due_at < ?5
  AND (?1 IS NULL OR d.state = ?1)
  AND (?2 IS NULL OR d.channel = ?2)
  AND (?3 IS NULL OR d.announcement_id IN (SELECT id FROM announcements WHERE department = ?3))
  AND (?6 IS NULL OR d.announcement_id = ?6)
