package dev.portside.app;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code portside} command. */
@Command(name = "portside", mixinStandardHelpOptions = true, version = "portside 0.1.0",
        description = "A compact cloud controller speaking the OpenStack APIs.",
        subcommands = {ServeCommand.class, ControllerCommand.class, ComputeHostCommand.class, dev.portside.app.client.PortCommand.class, TrainCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
