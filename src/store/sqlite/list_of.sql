-- One announcement's deliveries (a few rows, by the (announcement_id, channel) index).
WHERE d.announcement_id = ?6
  AND +d.due_at >= ?4 AND +d.due_at < ?5
  AND (?1 IS NULL OR d.state = ?1)
  AND (?2 IS NULL OR d.channel = ?2)
  AND (?3 IS NULL OR a.department = ?3)
ORDER BY d.due_at, d.id
