-- A device tag on a server's port (Nova's virtual interface tag: at boot from 2.32/2.42, on attach
-- from 2.49, shown from 2.70): the guest finds it in its config drive's device metadata, which is
-- how a network function tells its traffic NICs from its management NIC. NULL: untagged.
ALTER TABLE compute_vif ADD COLUMN tag VARCHAR(60);
