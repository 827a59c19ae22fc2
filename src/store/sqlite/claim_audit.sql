-- The audit rows of one claim, one per delivery claimed: ?3 is a JSON array of
-- [delivery id, attempt, unsettled (0 or 1)]. One statement whatever the batch's size, so it is
-- prepared once and reused. `detail` reads {"attempt":N,"unsettled":false}.
INSERT INTO audit_log (at, actor, role, action, entity, entity_id, detail)
SELECT ?1, ?2, NULL, 'claimed', 'delivery', CAST(j.value ->> 0 AS TEXT),
       json_object('attempt', j.value ->> 1,
                   'unsettled', json(CASE WHEN j.value ->> 2 THEN 'true' ELSE 'false' END))
FROM json_each(?3) AS j
