package dev.portside.app;

import dev.portside.agent.Bridges;
import dev.portside.agent.HostCommands;
import dev.portside.agent.Instances;
import dev.portside.agent.Vxlans;
import dev.portside.app.hosts.HostAgent;
import dev.portside.app.messaging.Bus;
import dev.portside.app.messaging.BusException;
import dev.portside.compute.virt.FakeDriver;
import dev.portside.compute.virt.HostResources;
import dev.portside.compute.virt.NamespaceDriver;
import dev.portside.compute.virt.PortAgent;
import dev.portside.compute.virt.VirtDriver;
import dev.portside.network.firewall.FilterSettings;
import dev.portside.network.firewall.HostFiltering;
import dev.portside.network.firewall.HostFirewall;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code portside compute-host}: one compute host of a Portside whose controllers run elsewhere
 * (Nova's nova-compute and Neutron's L2 agent in one process). It runs instances, filters their
 * ports and carries their VXLAN networks to the other hosts, as the controllers say through the
 * message broker, until SIGTERM; its instances outlive it.
 */
@Command(name = "compute-host", mixinStandardHelpOptions = true,
        description = "Run a compute host for Portside controllers reached through a message broker.")
final class ComputeHostCommand implements Callable<Integer> {
    @Option(names = "--host", description = "This host's name, as servers' OS-EXT-SRV-ATTR:host shows it (default: the machine's hostname).")
    String host;

    @Option(names = "--transport-url", required = true, description = "The message broker, rabbit://user:password@host:5672/.")
    String transportUrl;

    @Option(names = "--local-ip", required = true, description = "This host's address on the network between hosts: where its VXLAN tunnels start and end.")
    String localIp;

    @Option(names = "--data-dir", description = "Where this host keeps its instances (default: ~/.portside-host).")
    Path dataDir;

    @Option(names = "--compute-driver", defaultValue = "namespace", description = "namespace (instances as network namespaces) or fake (none, for tests); default: ${DEFAULT-VALUE}.")
    String computeDriver;

    @Option(names = "--report-interval", defaultValue = "10", description = "Seconds between this host's reports that it is alive (Nova's report_interval); default: ${DEFAULT-VALUE}.")
    int reportInterval;

    @Option(names = "--rpc-response-timeout", defaultValue = "60", description = "Seconds to wait for a controller's answer; default: ${DEFAULT-VALUE}.")
    int rpcResponseTimeout;

    // A host started before its broker keeps trying this long.
    private static final Duration BROKER_PATIENCE = Duration.ofMinutes(5);
    // Instances are made a few at a time, as compute calls come in.
    private static final int HANDLERS = 4;

    @Override
    public Integer call() {
        String name = Optional.ofNullable(host).orElseGet(Settings::hostname);
        Path dir = Optional.ofNullable(dataDir).orElse(Path.of(System.getProperty("user.home"), ".portside-host"));
        if (!List.of("namespace", "fake").contains(computeDriver)) {
            System.err.println("portside: --compute-driver is namespace or fake, not " + computeDriver);
            return 2;
        }
        AtomicReference<Bus> bus = new AtomicReference<>();
        HostAgent agent;
        try {
            Files.createDirectories(dir);
            bus.set(Bus.connect(transportUrl, "portside-compute-host " + name, BROKER_PATIENCE, HANDLERS));
            HostCommands commands = new HostCommands();
            PortAgent reports = HostAgent.reportingTo(bus.get());
            VirtDriver driver;
            HostResources resources;
            HostFirewall firewall;
            if (computeDriver.equals("fake")) {
                FakeDriver.Host fake = FakeDriver.Host.normal(name);
                driver = new FakeDriver(List.of(fake), reports);
                resources = fake.resources();
                firewall = HostFirewall.NONE;
            } else {
                Bridges bridges = new Bridges(commands, FilterSettings.DEFAULTS.macAgeing(), Map.of(), Optional.of(localIp));
                resources = MachineResources.of(name, NamespaceDriver.HYPERVISOR_TYPE, dir);
                driver = new NamespaceDriver(resources, new Instances(commands, dir.resolve("instances"), bridges), reports);
                firewall = new NftHostFirewall(commands);
            }
            agent = new HostAgent(bus.get(), driver, resources, localIp, new HostFiltering(firewall, FilterSettings.DEFAULTS),
                    new Vxlans(commands), Duration.ofSeconds(rpcResponseTimeout));
            agent.start(Duration.ofSeconds(reportInterval));
        } catch (BusException | StartupException | java.io.IOException e) {
            System.err.println("portside: " + e.getMessage());
            Optional.ofNullable(bus.get()).ifPresent(Bus::close);
            return 1;
        }
        System.out.println("portside: compute host " + name + " (" + localIp + ") reporting through the broker");
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            agent.close();
            bus.get().close();
            stopped.countDown();
        }, "portside-host-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }
}
