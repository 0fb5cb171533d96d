package dev.portside.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portside.common.json.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the agent made an instance of, kept beside it ({@code guest.json}), so that stopping,
 * starting, hot-plugging and removing it work from the host's own record, also after a restart.
 */
public final class GuestFile {
    private GuestFile() {
    }

    public static void write(Path file, Guest guest) {
        ObjectNode json = Json.object().put("server_id", guest.serverId()).put("instance_name", guest.instanceName())
                .put("hostname", guest.hostname());
        guest.userData().ifPresent(data -> json.put("user_data", data));
        ArrayNode keys = json.putArray("public_keys");
        guest.publicKeys().forEach(keys::add);
        ArrayNode nics = json.putArray("nics");
        guest.nics().forEach(nic -> writeNic(nics.addObject(), nic));
        try {
            Path temporary = file.resolveSibling(file.getFileName() + ".new");
            Files.writeString(temporary, Json.write(json));
            Files.move(temporary, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    public static Optional<Guest> read(Path file) {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        JsonNode json;
        try {
            json = Json.MAPPER.readTree(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        List<Guest.Nic> nics = new ArrayList<>();
        json.path("nics").forEach(n -> nics.add(readNic(n)));
        List<String> keys = new ArrayList<>();
        json.path("public_keys").forEach(k -> keys.add(k.asText()));
        return Optional.of(new Guest(json.path("server_id").asText(), json.path("instance_name").asText(),
                json.path("hostname").asText(), nics, keys, text(json, "user_data")));
    }

    private static Guest.Nic readNic(JsonNode n) {
        List<Guest.Address> addresses = new ArrayList<>();
        for (JsonNode a : n.path("addresses")) {
            List<String> dns = new ArrayList<>();
            a.path("dns").forEach(d -> dns.add(d.asText()));
            addresses.add(new Guest.Address(a.path("ip").asText(), a.path("prefix_length").asInt(),
                    a.path("version").asInt(), text(a, "gateway"), dns));
        }
        List<Guest.Vlan> vlans = new ArrayList<>();
        n.path("vlans").forEach(v -> vlans.add(new Guest.Vlan(v.path("vlan").asInt(), readNic(v.path("nic")))));
        List<String> bridge = new ArrayList<>();
        n.path("bridge_addresses").forEach(b -> bridge.add(b.asText()));
        return new Guest.Nic(n.path("port_id").asText(), n.path("network_id").asText(),
                n.path("mac_address").asText(), n.path("mtu").asInt(), addresses, bridge, text(n, "tag"),
                Optional.ofNullable(n.get("uplink")).map(GuestFile::readUplink), vlans);
    }

    // Instances made before VXLAN networks have "physical_network" and maybe "vlan" only.
    private static Guest.Uplink readUplink(JsonNode u) {
        Optional<Integer> id = Optional.ofNullable(u.get("segmentation_id")).or(() -> Optional.ofNullable(u.get("vlan")))
                .map(JsonNode::asInt);
        String type = text(u, "network_type").orElse(id.isPresent() ? Guest.Uplink.VLAN : Guest.Uplink.FLAT);
        return new Guest.Uplink(type, text(u, "physical_network"), id);
    }

    private static void writeNic(ObjectNode n, Guest.Nic nic) {
        n.put("port_id", nic.portId()).put("network_id", nic.networkId()).put("mac_address", nic.macAddress())
                .put("mtu", nic.mtu());
        nic.tag().ifPresent(tag -> n.put("tag", tag));
        nic.uplink().ifPresent(uplink -> {
            ObjectNode u = n.putObject("uplink").put("network_type", uplink.networkType());
            uplink.physicalNetwork().ifPresent(physnet -> u.put("physical_network", physnet));
            uplink.segmentationId().ifPresent(id -> u.put("segmentation_id", id));
        });
        ArrayNode bridge = n.putArray("bridge_addresses");
        nic.bridgeAddresses().forEach(bridge::add);
        ArrayNode addresses = n.putArray("addresses");
        for (Guest.Address a : nic.addresses()) {
            ObjectNode address = addresses.addObject().put("ip", a.ip()).put("prefix_length", a.prefixLength())
                    .put("version", a.version());
            a.gateway().ifPresent(g -> address.put("gateway", g));
            ArrayNode dns = address.putArray("dns");
            a.dnsServers().forEach(dns::add);
        }
        ArrayNode vlans = n.putArray("vlans");
        nic.vlans().forEach(vlan -> writeNic(vlans.addObject().put("vlan", vlan.id()).putObject("nic"), vlan.nic()));
    }

    private static Optional<String> text(JsonNode node, String field) {
        return node.hasNonNull(field) ? Optional.of(node.get(field).asText()) : Optional.empty();
    }
}
