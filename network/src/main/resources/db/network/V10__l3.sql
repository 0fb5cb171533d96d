-- Neutron's L3: external networks, routers with their interfaces, gateway and extra routes, and
-- floating IPs. Every port a router or floating IP holds is an ordinary port row (its owner says
-- which: network:router_interface, network:router_gateway, network:floatingip), so addresses,
-- MACs and network deletion keep their one set of rules.

ALTER TABLE network_network ADD COLUMN router_external BOOLEAN DEFAULT FALSE NOT NULL;

CREATE TABLE network_router (
    id              VARCHAR(36)  PRIMARY KEY,
    project_id      VARCHAR(64)  NOT NULL,
    name            VARCHAR(255) NOT NULL,
    description     VARCHAR(255) NOT NULL,
    admin_state_up  BOOLEAN      NOT NULL,
    status          VARCHAR(16)  NOT NULL,
    -- The gateway port on an external network; NULL without a gateway (NULLs repeat freely).
    gw_port_id      VARCHAR(36)  UNIQUE REFERENCES network_port (id),
    enable_snat     BOOLEAN      NOT NULL,
    created_at      TIMESTAMP    NOT NULL,
    updated_at      TIMESTAMP    NOT NULL,
    revision_number BIGINT       NOT NULL
);
CREATE INDEX network_router_project ON network_router (project_id);

-- A router's interfaces: a port is an interface of one router at most.
CREATE TABLE network_router_interface (
    port_id   VARCHAR(36) PRIMARY KEY REFERENCES network_port (id),
    router_id VARCHAR(36) NOT NULL REFERENCES network_router (id)
);
CREATE INDEX network_router_interface_router ON network_router_interface (router_id);

-- Extra routes (the extraroute extension), in the router's own table.
CREATE TABLE network_router_route (
    router_id   VARCHAR(36) NOT NULL REFERENCES network_router (id) ON DELETE CASCADE,
    destination VARCHAR(64) NOT NULL,
    nexthop     VARCHAR(64) NOT NULL,
    PRIMARY KEY (router_id, destination, nexthop)
);

CREATE TABLE network_floatingip (
    id                  VARCHAR(36)  PRIMARY KEY,
    project_id          VARCHAR(64)  NOT NULL,
    description         VARCHAR(255) NOT NULL,
    floating_network_id VARCHAR(36)  NOT NULL REFERENCES network_network (id),
    -- The port on the external network that holds the floating address.
    floating_port_id    VARCHAR(36)  NOT NULL UNIQUE REFERENCES network_port (id),
    floating_ip_address VARCHAR(64)  NOT NULL,
    -- The association: the port and which of its addresses, through which router. All NULL when free.
    fixed_port_id       VARCHAR(36)  REFERENCES network_port (id),
    fixed_ip_address    VARCHAR(64),
    router_id           VARCHAR(36)  REFERENCES network_router (id),
    status              VARCHAR(16)  NOT NULL,
    created_at          TIMESTAMP    NOT NULL,
    updated_at          TIMESTAMP    NOT NULL,
    revision_number     BIGINT       NOT NULL,
    -- One floating IP per fixed address and external network, decided by the key also between two
    -- associations at once.
    CONSTRAINT network_floatingip_fixed UNIQUE (floating_network_id, fixed_port_id, fixed_ip_address)
);
CREATE INDEX network_floatingip_project ON network_floatingip (project_id);
CREATE INDEX network_floatingip_router ON network_floatingip (router_id);
CREATE INDEX network_floatingip_port ON network_floatingip (fixed_port_id);
