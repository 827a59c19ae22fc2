SELECT d.id, d.announcement_id, a.department, a.title, d.channel, d.state, d.due_at,
       d.next_attempt_at, d.attempts, d.unsettled, d.idempotency_key, d.remote_id, d.remote_url,
       d.request_id, d.last_error, d.last_error_class, d.published_at, d.payload
FROM deliveries d JOIN announcements a ON a.id = d.announcement_id
