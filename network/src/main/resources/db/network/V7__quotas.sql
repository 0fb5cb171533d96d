-- Per-project quota overrides (defaults live in code, as Nova's and Neutron's do in their config),
-- and one lock row per project that every counted create locks first (common.quota.Quotas).
CREATE TABLE network_quota (
    project_id  VARCHAR(64)  NOT NULL,
    resource    VARCHAR(64)  NOT NULL,
    hard_limit  BIGINT       NOT NULL,
    PRIMARY KEY (project_id, resource)
);

CREATE TABLE network_quota_lock (
    project_id  VARCHAR(64)  PRIMARY KEY
);

-- Usage is counted per project on every create: these counts must not scan the table.
CREATE INDEX network_subnet_project ON network_subnet (project_id);
CREATE INDEX network_security_group_rule_project ON network_security_group_rule (project_id);
