"""Portside's additions to the openstack CLI, as cliff command hooks: the CLI itself is unchanged."""
