-- After `WITH month AS (…)` (the month's announcements, `month!` in digest.rs): their
-- deliveries that were not cancelled, each with its latest reach sample (the highest slot that
-- has one) and, when it has none, why its latest failed sample failed. One row holding a JSON
-- array of [announcement_id, channel, state, published_at, remote_url, slot_secs, taken_at,
-- views, reach, reactions, comments, shares, clicks, video_views, error_class, error]; the store
-- orders them.
SELECT json_group_array(json_array(
    d.announcement_id, d.channel, d.state, d.published_at, d.remote_url,
    r.slot_secs, r.taken_at, r.views, r.reach, r.reactions, r.comments, r.shares, r.clicks,
    r.video_views,
    CASE WHEN r.id IS NULL THEN f.last_error_class END,
    CASE WHEN r.id IS NULL THEN f.last_error END))
FROM month m
JOIN deliveries d ON d.announcement_id = m.id AND d.state <> 'cancelled'
LEFT JOIN reach_samples r ON r.id =
    (SELECT s.id FROM reach_samples s WHERE s.delivery_id = d.id
     ORDER BY s.slot_secs DESC LIMIT 1)
LEFT JOIN reach_attempts f ON f.delivery_id = d.id AND f.slot_secs =
    (SELECT MAX(t.slot_secs) FROM reach_attempts t WHERE t.delivery_id = d.id)
