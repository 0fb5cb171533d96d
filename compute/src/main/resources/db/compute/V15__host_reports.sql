-- A compute host that runs in its own process (portside compute-host) reports itself: the address
-- its tunnels use (Nova's host_ip) and when it last said it is alive. A host that stops reporting
-- for longer than service_down_time is down. NULL reported_at: a host in the controller's own
-- process (the all-in-one), alive as long as that process is.
ALTER TABLE compute_host ADD COLUMN host_ip VARCHAR(64);
ALTER TABLE compute_host ADD COLUMN reported_at TIMESTAMP;
