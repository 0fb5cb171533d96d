package dev.portside.app.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portside.common.json.Json;
import dev.portside.network.port.Port;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;

/**
 * {@code portside port}: what the openstack CLI cannot say about a port, Portside's
 * {@code allowed_ethertypes}, shown and changed with the openstack CLI's conventions (a port by
 * name or ID; {@code set} adds, {@code unset} removes, {@code --no-allowed-ethertype} clears).
 */
@Command(name = "port", mixinStandardHelpOptions = true, description = "Show or change Portside's port attributes.",
        subcommands = {PortCommand.Show.class, PortCommand.Set.class, PortCommand.Unset.class})
public final class PortCommand implements Runnable {
    private static final String ATTRIBUTE = "allowed_ethertypes";
    private static final Pattern UUID = Pattern.compile("[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}");

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Common to the subcommands: who to be, which port, and how to report. */
    abstract static class OnePort implements Callable<Integer> {
        @Mixin
        CloudOptions cloud;

        @Parameters(paramLabel = "PORT", description = "The port's name or ID.")
        String port;

        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            try {
                OpenstackSession network = cloud.login("network");
                JsonNode shown = apply(network, find(network, port));
                print(spec.commandLine().getOut(), shown);
                return 0;
            } catch (ClientException e) {
                spec.commandLine().getErr().println("portside port: " + e.getMessage());
                return 1;
            }
        }

        /** Does the subcommand's work on the port as found; returns the port as it then is. */
        abstract JsonNode apply(OpenstackSession network, JsonNode port);
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show a port's Portside attributes.")
    static final class Show extends OnePort {
        @Override
        JsonNode apply(OpenstackSession network, JsonNode port) {
            return port;
        }
    }

    @Command(name = "set", mixinStandardHelpOptions = true, description = "Allow ethertypes on a port.")
    static final class Set extends OnePort {
        @Option(names = "--allowed-ethertype", paramLabel = "ETHERTYPE",
                description = "An ethertype the port may carry besides ARP, IPv4 and IPv6, such as 0x8847 (MPLS);"
                        + " repeat to add several.")
        List<String> add = List.of();

        @Option(names = "--no-allowed-ethertype", description = "Clear the port's allowed ethertypes first.")
        boolean clear;

        @Override
        JsonNode apply(OpenstackSession network, JsonNode port) {
            java.util.Set<String> ethertypes = new LinkedHashSet<>(clear ? List.of() : current(port));
            add.forEach(e -> ethertypes.add(canonical(e)));
            return update(network, port, ethertypes);
        }
    }

    @Command(name = "unset", mixinStandardHelpOptions = true, description = "Stop allowing ethertypes on a port.")
    static final class Unset extends OnePort {
        @Option(names = "--allowed-ethertype", paramLabel = "ETHERTYPE", required = true,
                description = "An allowed ethertype to remove; repeat to remove several.")
        List<String> remove = List.of();

        @Override
        JsonNode apply(OpenstackSession network, JsonNode port) {
            java.util.Set<String> ethertypes = new LinkedHashSet<>(current(port));
            for (String ethertype : remove) {
                if (!ethertypes.remove(canonical(ethertype))) {
                    throw new ClientException(ethertype + " is not among the port's allowed ethertypes " + current(port));
                }
            }
            return update(network, port, ethertypes);
        }
    }

    static JsonNode find(OpenstackSession network, String nameOrId) {
        if (UUID.matcher(nameOrId).matches()) {
            return network.get("/v2.0/ports/" + nameOrId).get("port");
        }
        JsonNode found = network.get("/v2.0/ports?name=" + URLEncoder.encode(nameOrId, StandardCharsets.UTF_8))
                .get("ports");
        if (found.size() != 1) {
            throw new ClientException(found.isEmpty() ? "no port named " + nameOrId
                    : "more than one port named " + nameOrId + "; give its ID");
        }
        return found.get(0);
    }

    private static List<String> current(JsonNode port) {
        JsonNode ethertypes = port.get(ATTRIBUTE);
        if (ethertypes == null) {
            throw new ClientException("the network service does not have Portside's port-allowed-ethertypes extension");
        }
        List<String> values = new ArrayList<>();
        ethertypes.forEach(e -> values.add(e.asText()));
        return values;
    }

    // The service writes 0x and four lower-case digits; removing "0X8847" or "0x8847" means the same entry.
    private static String canonical(String ethertype) {
        String text = ethertype.toLowerCase(Locale.ROOT);
        if (text.matches("0x[0-9a-f]{1,4}")) {
            return Port.ethertype(Integer.parseInt(text.substring(2), 16));
        }
        return text;
    }

    private static JsonNode update(OpenstackSession network, JsonNode port, java.util.Set<String> ethertypes) {
        ObjectNode body = Json.object();
        ArrayNode list = body.putObject("port").putArray(ATTRIBUTE);
        ethertypes.forEach(list::add);
        return network.put("/v2.0/ports/" + port.get("id").asText(), body).get("port");
    }

    private static void print(PrintWriter out, JsonNode port) {
        for (String field : List.of("id", "name", "network_id", "mac_address", "port_security_enabled")) {
            out.printf("%-22s %s%n", field, port.path(field).asText());
        }
        out.printf("%-22s %s%n", ATTRIBUTE, String.join(", ", current(port)));
        out.flush();
    }
}
