-- Listing at scale: the queue and calendar read deliveries by their due time, a page at a time
-- (`WHERE due_at >= ? AND due_at < ?` after the last row shown). Without this index every page
-- read and sorted all deliveries; with it a page reads its own rows only.
CREATE INDEX deliveries_due ON deliveries (due_at);
-- The JSON API lists one department's announcements, the newest first.
CREATE INDEX announcements_department ON announcements (department, id);
