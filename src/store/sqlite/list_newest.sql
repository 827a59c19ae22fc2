-- The last made first, below a key: the rowid gives the order. The due range is only a filter
-- here (`+`), so the planner never sorts the whole table to use its index.
WHERE d.id < ?6
  AND +d.due_at >= ?4 AND +d.due_at < ?5
  AND (?1 IS NULL OR d.state = ?1)
  AND (?2 IS NULL OR d.channel = ?2)
  AND (?3 IS NULL OR a.department = ?3)
ORDER BY d.id DESC
LIMIT ?7
