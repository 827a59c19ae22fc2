-- After `WITH month AS (…)` (the month's announcements, `month!` in digest.rs): each of them
-- with the views of its website page, as one row holding a JSON array of
-- [id, department, title, body, publish_at, page_views]. The store orders them.
,
views AS (SELECT v.announcement_id, SUM(v.views) AS views FROM page_views v
          WHERE v.announcement_id IN (SELECT id FROM month) GROUP BY v.announcement_id)
SELECT json_group_array(json_array(m.id, m.department, m.title, m.body, m.publish_at,
                                   COALESCE(pv.views, 0)))
FROM month m LEFT JOIN views pv ON pv.announcement_id = m.id
