-- Portside's port-allowed-ethertypes extension: the ethertypes besides ARP, IPv4 and IPv6 that a
-- port with port security may send and receive (MPLS, NSH, PPPoE, LLDP, QinQ...).
CREATE TABLE network_port_ethertype (
    port_id   VARCHAR(36) NOT NULL REFERENCES network_port (id) ON DELETE CASCADE,
    ethertype INTEGER     NOT NULL,
    PRIMARY KEY (port_id, ethertype)
);
