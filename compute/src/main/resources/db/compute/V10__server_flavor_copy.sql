-- The rest of the flavor a server was built (or resized) with, as Nova keeps a copy in the
-- instance: its name, ephemeral disk and swap, shown in the server from 2.47 even once the
-- flavor is deleted. Servers made before this take them from their flavor if it is still there.
ALTER TABLE compute_server ADD COLUMN flavor_name VARCHAR(255);
ALTER TABLE compute_server ADD COLUMN ephemeral_gb INTEGER DEFAULT 0 NOT NULL;
ALTER TABLE compute_server ADD COLUMN swap_mb INTEGER DEFAULT 0 NOT NULL;
ALTER TABLE compute_server ADD COLUMN old_flavor_name VARCHAR(255);
ALTER TABLE compute_server ADD COLUMN old_ephemeral_gb INTEGER;
ALTER TABLE compute_server ADD COLUMN old_swap_mb INTEGER;
UPDATE compute_server SET flavor_name = (SELECT f.name FROM compute_flavor f WHERE f.id = compute_server.flavor_id),
    ephemeral_gb = COALESCE((SELECT f.ephemeral FROM compute_flavor f WHERE f.id = compute_server.flavor_id), 0),
    swap_mb = COALESCE((SELECT f.swap FROM compute_flavor f WHERE f.id = compute_server.flavor_id), 0);
UPDATE compute_server SET flavor_name = flavor_id WHERE flavor_name IS NULL;
ALTER TABLE compute_server ALTER COLUMN flavor_name SET NOT NULL;
UPDATE compute_server SET old_flavor_name = COALESCE((SELECT f.name FROM compute_flavor f WHERE f.id = compute_server.old_flavor_id), old_flavor_id),
    old_ephemeral_gb = COALESCE((SELECT f.ephemeral FROM compute_flavor f WHERE f.id = compute_server.old_flavor_id), 0),
    old_swap_mb = COALESCE((SELECT f.swap FROM compute_flavor f WHERE f.id = compute_server.old_flavor_id), 0)
    WHERE old_flavor_id IS NOT NULL;
