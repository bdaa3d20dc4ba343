-- Where the order-number sequences stood, sampled every few minutes by the capacity monitor of whichever
-- instance comes first. The exhaustion ETA divides what is left by the issue rate over the last day of these
-- samples; kept here rather than in each instance's memory, the day survives restarts and rollouts (a pod
-- that had seen only its first minutes would forecast from them: a busy hour after a deploy looked like a
-- space running out within days), and every instance reports the same ETA.
CREATE TABLE number_space_sample (
    namespace  varchar(16) NOT NULL CHECK (namespace IN ('production', 'test')),
    sampled_at timestamptz NOT NULL,
    issued     bigint      NOT NULL CHECK (issued >= 0),
    PRIMARY KEY (namespace, sampled_at)
);
