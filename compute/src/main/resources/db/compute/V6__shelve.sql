-- A shelved server's snapshot (Nova keeps it as system_metadata shelved_image_id): the image the
-- server is unshelved from, deleted once it is running again or deleted. NULL: not shelved.
ALTER TABLE compute_server ADD COLUMN shelved_image_id VARCHAR(36);
-- Nova's states are longer than the first ones Portside had: "shelved_offloaded", "shelving_image_pending_upload".
ALTER TABLE compute_server ALTER COLUMN vm_state SET DATA TYPE VARCHAR(32);
ALTER TABLE compute_server ALTER COLUMN task_state SET DATA TYPE VARCHAR(64);
