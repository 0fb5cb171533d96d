-- A server group's rules (2.64): max_server_per_host, for anti-affinity only, is how many of the
-- group's members one host may hold (Nova's ServerGroupAntiAffinityFilter). NULL: one, the policy's
-- own meaning.
ALTER TABLE compute_server_group ADD COLUMN max_server_per_host INTEGER;
