-- Which users must wait (a call of theirs waits for its retry, or is held by a node applying it): read through these
-- two indexes, the rows concerned only. Until V10 every call not applied yet was read for it, each time calls were
-- taken: a backlog of a million calls (a burst while Intercom's rate limit drains it) cost a million rows a round.
CREATE INDEX tracking_inbox_retry ON tracking_inbox (next_attempt_at);
CREATE INDEX tracking_inbox_claimed ON tracking_inbox (claimed_until);
