-- Recurring rules under a person's control: paused (by hand, or by prakat after the rule's
-- deliveries failed too often in a row), resumed, deleted. A rule fires only while `active` is 1;
-- a paused or deleted rule has `active` 0. A deleted rule is kept (its announcements refer to
-- it) but listed nowhere.
ALTER TABLE recurring_rules ADD COLUMN paused_at INTEGER;
-- `by_hand` or `failures`; NULL while the rule fires.
ALTER TABLE recurring_rules ADD COLUMN paused_reason TEXT;
ALTER TABLE recurring_rules ADD COLUMN deleted_at INTEGER;
-- Failures in a row are counted among the rule's announcements created at or after this time
-- (its creation, or its last resume): a resumed rule starts afresh.
ALTER TABLE recurring_rules ADD COLUMN streak_from INTEGER NOT NULL DEFAULT 0;
