-- What a channel saved during an attempt so the next attempt resumes instead of starting over
-- (a resumable upload's session URI, a TikTok publish_id). Written before the network call it
-- describes; kept after publishing for reach collection.
ALTER TABLE deliveries ADD COLUMN publish_state TEXT;
