-- Per-project quota overrides (defaults live in code, as Nova's and Neutron's do in their config),
-- and one lock row per project that every counted create locks first (common.quota.Quotas).
CREATE TABLE compute_quota (
    project_id  VARCHAR(64)  NOT NULL,
    resource    VARCHAR(64)  NOT NULL,
    hard_limit  BIGINT       NOT NULL,
    PRIMARY KEY (project_id, resource)
);

CREATE TABLE compute_quota_lock (
    project_id  VARCHAR(64)  PRIMARY KEY
);
