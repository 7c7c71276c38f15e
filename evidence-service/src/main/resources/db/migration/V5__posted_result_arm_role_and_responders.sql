-- Which arm a posted result is (EXPERIMENTAL, CONTROL; NULL: not stated) and its whole responder count, if posted.
-- Only an experimental arm's result may enter a pooled estimate (ADR 0104).
ALTER TABLE posted_result ADD COLUMN arm_role varchar(12) CHECK (arm_role IN ('EXPERIMENTAL', 'CONTROL'));
ALTER TABLE posted_result ADD COLUMN responders integer CHECK (responders >= 0);
