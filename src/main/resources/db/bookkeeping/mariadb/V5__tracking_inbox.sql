-- Every accepted call of the tracking API (POST /v1/*), committed before the client is answered 200. seq is the
-- order the calls arrived in: a user's calls are applied to Intercom in seq order. message_id is unique, so a client
-- that sends a batch again stores nothing twice (utf8mb4_bin: ids compare exactly). user_key is the SHA-256 (hex)
-- of the user's id ("u:" + userId, else "a:" + anonymousId): ids of any length, compared exactly.
CREATE TABLE IF NOT EXISTS tracking_inbox (
    seq BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    message_id VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL, call_type VARCHAR(20) NOT NULL,
    user_key CHAR(64) NOT NULL, received_at BIGINT NOT NULL, body MEDIUMTEXT NOT NULL,
    -- set once Intercom took the call (or it was given up on: outcome says which); NULL while it waits
    applied_at BIGINT, outcome VARCHAR(20), intercom_id VARCHAR(64),
    attempts INT NOT NULL DEFAULT 0, next_attempt_at BIGINT, first_failed_at BIGINT, last_error TEXT,
    -- set once the warehouse (and the analytics queue) took the call
    fanned_out_at BIGINT,
    CONSTRAINT tracking_inbox_message UNIQUE (message_id),
    INDEX tracking_inbox_pending (applied_at, seq),
    INDEX tracking_inbox_user (user_key, applied_at, seq),
    INDEX tracking_inbox_fanout (fanned_out_at, seq));

-- a group call's user that Intercom did not have yet: the company was written, the attachment is tried again after
-- the user's next identify and on a backoff schedule
CREATE TABLE IF NOT EXISTS tracking_attachments (
    user_key CHAR(64) NOT NULL, company_id VARCHAR(64) NOT NULL, group_id VARCHAR(255) NOT NULL,
    user_id VARCHAR(255), email VARCHAR(255), message_id VARCHAR(255) NOT NULL,
    created_at BIGINT NOT NULL, attempts INT NOT NULL DEFAULT 0, next_attempt_at BIGINT NOT NULL, last_error TEXT,
    PRIMARY KEY (user_key, company_id));
