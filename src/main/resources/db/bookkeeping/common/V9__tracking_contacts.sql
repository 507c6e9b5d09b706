-- The Intercom contact each tracking user's latest applied identify, page, screen or alias wrote (seq: that call's),
-- looked up by key for every call of the user. Until V9 it was read from tracking_inbox itself, which scanned every
-- call the user ever sent (a user with ten thousand track calls: ten thousand rows read per call).
CREATE TABLE tracking_contacts (
    user_key CHAR(64) NOT NULL PRIMARY KEY, intercom_id VARCHAR(64) NOT NULL, seq BIGINT NOT NULL);

INSERT INTO tracking_contacts (user_key, intercom_id, seq)
SELECT i.user_key, i.intercom_id, i.seq FROM tracking_inbox i
WHERE i.call_type IN ('identify', 'page', 'screen', 'alias') AND i.outcome = 'applied' AND i.intercom_id IS NOT NULL
  AND i.seq = (SELECT MAX(j.seq) FROM tracking_inbox j WHERE j.user_key = i.user_key
               AND j.call_type IN ('identify', 'page', 'screen', 'alias') AND j.outcome = 'applied'
               AND j.intercom_id IS NOT NULL);
