-- Networking v2.0: networks, subnets, ports, and IPAM. The database is what guarantees the
-- invariants: one address per network (network_ip_allocation's key), one MAC per network,
-- and revision numbers for optimistic updates.

CREATE TABLE network_network (
    id                    VARCHAR(36)   PRIMARY KEY,
    project_id            VARCHAR(64)   NOT NULL,
    name                  VARCHAR(255)  NOT NULL,
    description           VARCHAR(255)  NOT NULL,
    admin_state_up        BOOLEAN       NOT NULL,
    shared                BOOLEAN       NOT NULL,
    mtu                   INTEGER       NOT NULL,
    port_security_enabled BOOLEAN       NOT NULL,
    created_at            TIMESTAMP     NOT NULL,
    updated_at            TIMESTAMP     NOT NULL,
    revision_number       BIGINT        NOT NULL
);
CREATE INDEX network_network_project ON network_network (project_id);

CREATE TABLE network_subnet (
    id                VARCHAR(36)   PRIMARY KEY,
    network_id        VARCHAR(36)   NOT NULL REFERENCES network_network (id),
    project_id        VARCHAR(64)   NOT NULL,
    name              VARCHAR(255)  NOT NULL,
    description       VARCHAR(255)  NOT NULL,
    ip_version        INTEGER       NOT NULL,
    cidr              VARCHAR(64)   NOT NULL,
    gateway_ip        VARCHAR(64),
    enable_dhcp       BOOLEAN       NOT NULL,
    ipv6_ra_mode      VARCHAR(32),
    ipv6_address_mode VARCHAR(32),
    dns_nameservers   VARCHAR(4096) NOT NULL,
    host_routes       VARCHAR(8192) NOT NULL,
    created_at        TIMESTAMP     NOT NULL,
    updated_at        TIMESTAMP     NOT NULL,
    revision_number   BIGINT        NOT NULL
);
CREATE INDEX network_subnet_network ON network_subnet (network_id);

-- The pools as configured, for the API.
CREATE TABLE network_allocation_pool (
    subnet_id VARCHAR(36) NOT NULL REFERENCES network_subnet (id) ON DELETE CASCADE,
    first_ip  VARCHAR(64) NOT NULL,
    last_ip   VARCHAR(64) NOT NULL
);
CREATE INDEX network_allocation_pool_subnet ON network_allocation_pool (subnet_id);

-- What is still free, as ranges of addresses (numbers, so IPv6 fits): taking the lowest free address
-- is one indexed read and one update however many addresses are already in use.
CREATE TABLE network_free_range (
    subnet_id VARCHAR(36)    NOT NULL REFERENCES network_subnet (id) ON DELETE CASCADE,
    first_ip  NUMERIC(39, 0) NOT NULL,
    last_ip   NUMERIC(39, 0) NOT NULL,
    PRIMARY KEY (subnet_id, first_ip)
);

CREATE TABLE network_port (
    id                    VARCHAR(36)  PRIMARY KEY,
    network_id            VARCHAR(36)  NOT NULL REFERENCES network_network (id),
    project_id            VARCHAR(64)  NOT NULL,
    name                  VARCHAR(255) NOT NULL,
    description           VARCHAR(255) NOT NULL,
    mac_address           VARCHAR(17)  NOT NULL,
    admin_state_up        BOOLEAN      NOT NULL,
    status                VARCHAR(16)  NOT NULL,
    device_id             VARCHAR(255) NOT NULL,
    device_owner          VARCHAR(255) NOT NULL,
    ip_allocation         VARCHAR(16)  NOT NULL,
    port_security_enabled BOOLEAN      NOT NULL,
    created_at            TIMESTAMP    NOT NULL,
    updated_at            TIMESTAMP    NOT NULL,
    revision_number       BIGINT       NOT NULL,
    CONSTRAINT network_port_mac_in_network UNIQUE (network_id, mac_address)
);
CREATE INDEX network_port_network ON network_port (network_id);
CREATE INDEX network_port_project ON network_port (project_id);

-- One row per address in use: the primary key is what makes a duplicate address impossible.
CREATE TABLE network_ip_allocation (
    network_id VARCHAR(36) NOT NULL REFERENCES network_network (id),
    ip_address VARCHAR(64) NOT NULL,
    subnet_id  VARCHAR(36) NOT NULL REFERENCES network_subnet (id),
    port_id    VARCHAR(36) NOT NULL REFERENCES network_port (id) ON DELETE CASCADE,
    PRIMARY KEY (network_id, ip_address)
);
CREATE INDEX network_ip_allocation_port ON network_ip_allocation (port_id);
CREATE INDEX network_ip_allocation_subnet ON network_ip_allocation (subnet_id);
