-- Security groups and their rules, which ports use, and allowed address pairs.

CREATE TABLE network_security_group (
    id              VARCHAR(36)  PRIMARY KEY,
    project_id      VARCHAR(64)  NOT NULL,
    name            VARCHAR(255) NOT NULL,
    description     VARCHAR(255) NOT NULL,
    stateful        BOOLEAN      NOT NULL,
    created_at      TIMESTAMP    NOT NULL,
    updated_at      TIMESTAMP    NOT NULL,
    revision_number BIGINT       NOT NULL
);
CREATE INDEX network_security_group_project ON network_security_group (project_id);

-- One default group per project, whoever asks first: the primary key settles a race.
CREATE TABLE network_default_security_group (
    project_id        VARCHAR(64) PRIMARY KEY,
    security_group_id VARCHAR(36) NOT NULL REFERENCES network_security_group (id) ON DELETE CASCADE
);

CREATE TABLE network_security_group_rule (
    id                VARCHAR(36)  PRIMARY KEY,
    security_group_id VARCHAR(36)  NOT NULL REFERENCES network_security_group (id) ON DELETE CASCADE,
    project_id        VARCHAR(64)  NOT NULL,
    direction         VARCHAR(8)   NOT NULL,
    ethertype         VARCHAR(8)   NOT NULL,
    protocol          VARCHAR(40),
    port_range_min    INTEGER,
    port_range_max    INTEGER,
    remote_ip_prefix  VARCHAR(64),
    remote_group_id   VARCHAR(36)  REFERENCES network_security_group (id) ON DELETE CASCADE,
    description       VARCHAR(255) NOT NULL,
    created_at        TIMESTAMP    NOT NULL,
    updated_at        TIMESTAMP    NOT NULL,
    revision_number   BIGINT       NOT NULL
);
CREATE INDEX network_security_group_rule_group ON network_security_group_rule (security_group_id);

CREATE TABLE network_port_security_group (
    port_id           VARCHAR(36) NOT NULL REFERENCES network_port (id) ON DELETE CASCADE,
    security_group_id VARCHAR(36) NOT NULL REFERENCES network_security_group (id),
    PRIMARY KEY (port_id, security_group_id)
);
CREATE INDEX network_port_security_group_group ON network_port_security_group (security_group_id);

CREATE TABLE network_allowed_address_pair (
    port_id     VARCHAR(36) NOT NULL REFERENCES network_port (id) ON DELETE CASCADE,
    ip_address  VARCHAR(64) NOT NULL,
    mac_address VARCHAR(17) NOT NULL,
    PRIMARY KEY (port_id, ip_address, mac_address)
);
