-- Which arm a posted result is (NULL: not stated, e.g. a ClinicalTrials.gov record) and its whole responder count.
-- The REST API requires the arm role for every endpoint but HR (ADR 0104); only experimental arms may be pooled.
ALTER TABLE posted_result ADD COLUMN arm_role varchar(12) CHECK (arm_role IN ('EXPERIMENTAL', 'CONTROL'));
ALTER TABLE posted_result ADD COLUMN responders integer CHECK (responders >= 0);
