-- Provider networks: where a network's frames go. 'local' (a bridge on this host, every network
-- made before this) or 'flat' / 'vlan' on a physical network the host has an interface for.
ALTER TABLE network_network ADD COLUMN network_type VARCHAR(16) DEFAULT 'local' NOT NULL;
ALTER TABLE network_network ADD COLUMN physical_network VARCHAR(64);
ALTER TABLE network_network ADD COLUMN segmentation_id INTEGER;
-- 'physnet1:flat' or 'physnet1:200': one network per flat physical network and per VLAN on one,
-- decided by the key also between two creates at once. NULL (local networks) repeats freely.
ALTER TABLE network_network ADD COLUMN segment_key VARCHAR(80);
CREATE UNIQUE INDEX network_network_segment ON network_network (segment_key);
