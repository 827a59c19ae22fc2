-- Audit rows of one actor at one time: ?4 is a JSON array of [action, entity, entity id, detail
-- (JSON text)]. One statement whatever the number of rows, so it is prepared once and reused.
INSERT INTO audit_log (at, actor, role, action, entity, entity_id, detail)
SELECT ?1, ?2, ?3, j.value ->> 0, j.value ->> 1, j.value ->> 2, j.value ->> 3
FROM json_each(?4) AS j
