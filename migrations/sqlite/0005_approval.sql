-- Approval: what a department sends waits as `pending_approval` until the PR officer approves
-- it (deliveries are composed and created then), rejects it (with a reason) or the sender
-- withdraws it. The channels asked for are kept with it until then.
ALTER TABLE announcements ADD COLUMN channels TEXT NOT NULL DEFAULT '[]';
-- Who approved, rejected or withdrew it, when, and the reason given.
ALTER TABLE announcements ADD COLUMN decided_by TEXT;
ALTER TABLE announcements ADD COLUMN decided_at INTEGER;
ALTER TABLE announcements ADD COLUMN decision_note TEXT;
CREATE INDEX announcements_pending ON announcements (state, created_at) WHERE state = 'pending_approval';
