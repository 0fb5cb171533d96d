-- The security groups a server was booted with (their ids, resolved at the API), applied to the
-- ports compute makes for it; a boot that named none, or only "default", leaves the list empty and
-- the network service gives those ports the project's default group.
ALTER TABLE compute_server ADD COLUMN security_groups VARCHAR(65535) NOT NULL DEFAULT '[]';
