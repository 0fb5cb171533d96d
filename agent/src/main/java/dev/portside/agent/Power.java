package dev.portside.agent;

/**
 * How an instance should be on its host: running, paused (its CPUs or processes stopped where they
 * are, memory kept), or shut down. What recovery makes a host match.
 */
public enum Power {
    RUNNING, PAUSED, SHUTDOWN
}
