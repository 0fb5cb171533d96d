-- Tags on networks, subnets, ports and security groups (standard-attr-tag). Resource ids are
-- UUIDs, unique across resource types, so one table serves all of them.
CREATE TABLE network_tag (
    resource_id VARCHAR(36)  NOT NULL,
    tag         VARCHAR(255) NOT NULL,
    PRIMARY KEY (resource_id, tag)
);
