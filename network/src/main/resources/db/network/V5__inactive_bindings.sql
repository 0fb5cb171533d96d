-- binding-extended: a port may also hold bindings to other hosts, INACTIVE until activated (how
-- Nova prepares a live migration). The ACTIVE binding stays on network_port.
CREATE TABLE network_port_inactive_binding (
    port_id     VARCHAR(36)   NOT NULL REFERENCES network_port (id) ON DELETE CASCADE,
    host        VARCHAR(255)  NOT NULL,
    vnic_type   VARCHAR(64)   NOT NULL,
    profile     VARCHAR(4096) NOT NULL,
    vif_type    VARCHAR(64)   NOT NULL,
    vif_details VARCHAR(4096) NOT NULL,
    PRIMARY KEY (port_id, host)
);
