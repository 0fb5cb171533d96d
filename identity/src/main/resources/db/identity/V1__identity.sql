-- Identity v3 subset. Names are unique per domain, as in Keystone; assignments cascade with the
-- user, project, domain or role they name, so deleting one never leaves a dangling grant.

CREATE TABLE identity_domain (
    id          VARCHAR(64)   PRIMARY KEY,
    name        VARCHAR(64)   NOT NULL UNIQUE,
    description VARCHAR(1024),
    enabled     BOOLEAN       NOT NULL
);

CREATE TABLE identity_project (
    id          VARCHAR(64)   PRIMARY KEY,
    domain_id   VARCHAR(64)   NOT NULL REFERENCES identity_domain (id),
    name        VARCHAR(64)   NOT NULL,
    description VARCHAR(1024),
    enabled     BOOLEAN       NOT NULL,
    tags        VARCHAR(4096) NOT NULL,
    CONSTRAINT identity_project_name_in_domain UNIQUE (domain_id, name)
);

CREATE TABLE identity_user (
    id                 VARCHAR(64)   PRIMARY KEY,
    domain_id          VARCHAR(64)   NOT NULL REFERENCES identity_domain (id),
    name               VARCHAR(255)  NOT NULL,
    description        VARCHAR(1024),
    email              VARCHAR(255),
    enabled            BOOLEAN       NOT NULL,
    default_project_id VARCHAR(64),
    password_hash      VARCHAR(128),
    CONSTRAINT identity_user_name_in_domain UNIQUE (domain_id, name)
);

CREATE TABLE identity_role (
    id          VARCHAR(64)  PRIMARY KEY,
    name        VARCHAR(255) NOT NULL UNIQUE,
    description VARCHAR(255)
);

CREATE TABLE identity_project_assignment (
    user_id    VARCHAR(64) NOT NULL REFERENCES identity_user (id) ON DELETE CASCADE,
    project_id VARCHAR(64) NOT NULL REFERENCES identity_project (id) ON DELETE CASCADE,
    role_id    VARCHAR(64) NOT NULL REFERENCES identity_role (id) ON DELETE CASCADE,
    PRIMARY KEY (user_id, project_id, role_id)
);

CREATE TABLE identity_domain_assignment (
    user_id   VARCHAR(64) NOT NULL REFERENCES identity_user (id) ON DELETE CASCADE,
    domain_id VARCHAR(64) NOT NULL REFERENCES identity_domain (id) ON DELETE CASCADE,
    role_id   VARCHAR(64) NOT NULL REFERENCES identity_role (id) ON DELETE CASCADE,
    PRIMARY KEY (user_id, domain_id, role_id)
);

-- Tokens are stateless (signed); revoking one records its audit id until it would have expired.
CREATE TABLE identity_revoked_token (
    audit_id   VARCHAR(64) PRIMARY KEY,
    expires_at TIMESTAMP   NOT NULL
);

-- The key tokens are signed with, shared by every Portside process on this database.
CREATE TABLE identity_signing_key (
    id     INTEGER     PRIMARY KEY,
    secret VARCHAR(88) NOT NULL
);
