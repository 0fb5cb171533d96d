package dev.portside.app;

import picocli.CommandLine.Command;

/**
 * {@code portside controller}: the four APIs, the scheduler and the build flow on a shared database
 * (PostgreSQL), with instances on the compute hosts that report to it through the message broker.
 * Several controllers may serve one database and broker at once; any of them takes any request.
 */
@Command(name = "controller", mixinStandardHelpOptions = true,
        description = "Run Portside's APIs for compute hosts that run in processes of their own"
                + " (portside compute-host), through a message broker (transport_url in --config).")
final class ControllerCommand extends ServeCommand {
    @Override
    boolean controller() {
        return true;
    }
}
