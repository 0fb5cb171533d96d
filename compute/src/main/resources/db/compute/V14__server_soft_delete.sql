-- Nova's deferred delete (reclaim_instance_interval): when a server was soft-deleted, so that it
-- is reclaimed once the interval has passed, and restorable until then.
ALTER TABLE compute_server ADD COLUMN soft_deleted_at TIMESTAMP;
