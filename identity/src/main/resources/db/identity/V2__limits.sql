-- Keystone's unified limits (flat model): a registered limit is a service's default for a resource,
-- a limit overrides it for one project. A limit needs its registered limit (the foreign key).
CREATE TABLE identity_registered_limit (
    id             VARCHAR(64)    PRIMARY KEY,
    service_id     VARCHAR(64)    NOT NULL,
    region_id      VARCHAR(255)   NOT NULL,
    resource_name  VARCHAR(255)   NOT NULL,
    default_limit  BIGINT         NOT NULL,
    description    VARCHAR(255),
    CONSTRAINT identity_registered_limit_unique UNIQUE (service_id, region_id, resource_name)
);

CREATE TABLE identity_limit (
    id              VARCHAR(64)    PRIMARY KEY,
    project_id      VARCHAR(64)    NOT NULL REFERENCES identity_project (id) ON DELETE CASCADE,
    service_id      VARCHAR(64)    NOT NULL,
    region_id       VARCHAR(255)   NOT NULL,
    resource_name   VARCHAR(255)   NOT NULL,
    resource_limit  BIGINT         NOT NULL,
    description     VARCHAR(255),
    CONSTRAINT identity_limit_unique UNIQUE (project_id, service_id, region_id, resource_name),
    CONSTRAINT identity_limit_registered FOREIGN KEY (service_id, region_id, resource_name)
        REFERENCES identity_registered_limit (service_id, region_id, resource_name) ON DELETE RESTRICT
);
