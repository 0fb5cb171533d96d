-- One lock row per project that every counted create locks first (common.quota.Quotas). The limits
-- themselves are Keystone's unified limits, as Glance reads them: no limit table here.
CREATE TABLE image_quota_lock (
    project_id  VARCHAR(64)  PRIMARY KEY
);
