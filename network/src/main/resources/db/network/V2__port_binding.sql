-- Port binding (the binding extension): which host a port is bound to, and what the mechanism
-- driver that bound it reported. vif_details and profile are JSON objects.
ALTER TABLE network_port ADD COLUMN binding_host_id     VARCHAR(255) DEFAULT '' NOT NULL;
ALTER TABLE network_port ADD COLUMN binding_vif_type    VARCHAR(64)  DEFAULT 'unbound' NOT NULL;
ALTER TABLE network_port ADD COLUMN binding_vif_details VARCHAR(4096) DEFAULT '{}' NOT NULL;
ALTER TABLE network_port ADD COLUMN binding_vnic_type   VARCHAR(64)  DEFAULT 'normal' NOT NULL;
ALTER TABLE network_port ADD COLUMN binding_profile     VARCHAR(4096) DEFAULT '{}' NOT NULL;
