-- The monthly digest reads the announcements of one month by their publishing time.
CREATE INDEX announcements_publish_at ON announcements (publish_at);
