package dev.portside.compute.virt;

/**
 * The host's network agent, as drivers see it: it reports a port's device wired ({@code deviceUp})
 * or unwired ({@code deviceDown}) on a host to the network service, as Neutron's L2 agents do.
 */
public interface PortAgent {
    PortAgent NONE = new PortAgent() {
        @Override
        public void deviceUp(String portId, String host) {
        }

        @Override
        public void deviceDown(String portId, String host) {
        }
    };

    void deviceUp(String portId, String host);

    void deviceDown(String portId, String host);
}
