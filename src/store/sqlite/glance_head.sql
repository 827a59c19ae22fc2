-- A page of deliveries at a glance (`DeliveryGlance`): what the calendar and the latest
-- announcements show, without the payload (the largest column, never shown there). The page
-- comes back as one row, a JSON array of [id, announcement_id, department, title, channel,
-- state, due_at]: one hand-off from SQLite's thread for the page instead of one per row. The
-- array's order is not kept by SQL: the store orders it again (`in_order`). Followed by one of
-- the listing's filters (`list.sql`, `list_newest.sql`, `list_of.sql`) and a closing `)`.
SELECT json_group_array(json_array(id, announcement_id, department, title, channel, state, due_at))
FROM (
SELECT d.id, d.announcement_id, a.department, a.title, d.channel, d.state, d.due_at
FROM deliveries d JOIN announcements a ON a.id = d.announcement_id
