-- By due time, the earliest first, from a key on: the index on due_at gives the range and the
-- order, so a page reads its own rows only. ?4/?5: the range (whole when not asked); ?6/?7: the
-- last row of the page before (the range's start when none).
WHERE d.due_at >= ?4 AND d.due_at < ?5
  AND (d.due_at > ?6 OR (d.due_at = ?6 AND d.id > ?7))
  AND (?1 IS NULL OR d.state = ?1)
  AND (?2 IS NULL OR d.channel = ?2)
  AND (?3 IS NULL OR a.department = ?3)
ORDER BY d.due_at, d.id
LIMIT ?8
