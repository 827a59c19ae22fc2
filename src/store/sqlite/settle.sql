-- Settle attempts of distinct deliveries, each fenced by its claim: ?1 is a JSON array of
-- [id, claim, state, remote id, remote url, request id, next attempt at, error, error class,
-- give back (0/1), unsettled (0/1)], ?2 the time. One statement whatever the batch's size, so
-- it is prepared once and reused. Returns the deliveries whose own claim was settled; the others
-- were superseded.
--
-- Published: the receipt, no error, no uncertainty left. Retry: queued again at its time; an
-- attempt that may have reached the platform becomes the uncertain one, a claim handed back
-- unused leaves the earlier uncertainty as it was. Parked or failed: the error.
UPDATE deliveries
SET state = s_state,
    remote_id = CASE WHEN s_state = 'published' THEN s_remote_id ELSE remote_id END,
    remote_url = CASE WHEN s_state = 'published' THEN s_remote_url ELSE remote_url END,
    request_id = CASE WHEN s_state = 'published' THEN s_request_id ELSE request_id END,
    published_at = CASE WHEN s_state = 'published' THEN ?2 ELSE published_at END,
    next_attempt_at = CASE WHEN s_state = 'queued' THEN s_next_at ELSE next_attempt_at END,
    last_error = s_error,
    last_error_class = s_class,
    attempts = attempts - s_give_back,
    unsettled = MAX(unsettled, s_unsettled),
    uncertain_since = CASE WHEN s_state = 'published' THEN NULL
                           WHEN s_unsettled THEN claimed_at ELSE uncertain_since END,
    lease_owner = NULL,
    lease_expires_at = NULL,
    updated_at = ?2
FROM (
    SELECT j.value ->> 0 AS s_id, j.value ->> 1 AS s_claim, j.value ->> 2 AS s_state,
           j.value ->> 3 AS s_remote_id, j.value ->> 4 AS s_remote_url,
           j.value ->> 5 AS s_request_id, j.value ->> 6 AS s_next_at, j.value ->> 7 AS s_error,
           j.value ->> 8 AS s_class, j.value ->> 9 AS s_give_back, j.value ->> 10 AS s_unsettled
    FROM json_each(?1) AS j
) AS s
WHERE deliveries.id = s_id AND deliveries.state = 'in_flight' AND deliveries.claim_seq = s_claim
RETURNING deliveries.id
