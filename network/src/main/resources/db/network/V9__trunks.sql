-- Trunks (Neutron's trunk extension): a parent port whose link carries its own frames untagged and
-- each sub-port's frames tagged with the sub-port's segmentation id (VLAN-aware instances).

CREATE TABLE network_trunk (
    id              VARCHAR(36)  PRIMARY KEY,
    project_id      VARCHAR(64)  NOT NULL,
    name            VARCHAR(255) NOT NULL,
    description     VARCHAR(255) NOT NULL,
    admin_state_up  BOOLEAN      NOT NULL,
    status          VARCHAR(16)  NOT NULL,
    -- A port is the parent of one trunk at most, decided by the key also between two creates at once;
    -- a parent port cannot be deleted from under its trunk.
    port_id         VARCHAR(36)  NOT NULL UNIQUE REFERENCES network_port (id),
    created_at      TIMESTAMP    NOT NULL,
    updated_at      TIMESTAMP    NOT NULL,
    revision_number BIGINT       NOT NULL
);
CREATE INDEX network_trunk_project ON network_trunk (project_id);

CREATE TABLE network_trunk_subport (
    -- A port is a sub-port of one trunk at most.
    port_id           VARCHAR(36) PRIMARY KEY REFERENCES network_port (id),
    trunk_id          VARCHAR(36) NOT NULL REFERENCES network_trunk (id) ON DELETE CASCADE,
    segmentation_type VARCHAR(16) NOT NULL,
    segmentation_id   INTEGER     NOT NULL,
    -- One VLAN carries one sub-port on a trunk.
    CONSTRAINT network_trunk_segmentation UNIQUE (trunk_id, segmentation_type, segmentation_id)
);
