-- A resized server's previous flavor (Nova's old_flavor), kept until the resize is confirmed or
-- reverted; while it is kept, the host holds both flavors' resources, as Nova's placement does for
-- a resize on the same host. NULL: not resized.
ALTER TABLE compute_server ADD COLUMN old_flavor_id VARCHAR(255);
ALTER TABLE compute_server ADD COLUMN old_vcpus INTEGER;
ALTER TABLE compute_server ADD COLUMN old_memory_mb INTEGER;
ALTER TABLE compute_server ADD COLUMN old_root_gb INTEGER;
