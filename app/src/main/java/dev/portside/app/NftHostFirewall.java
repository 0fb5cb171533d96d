package dev.portside.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portside.agent.HostCommands;
import dev.portside.common.json.Json;
import dev.portside.network.firewall.HostFirewall;
import dev.portside.network.firewall.NftRuleset;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The port filtering on this machine, its only host: nftables, given scripts on stdin, read back as JSON. */
final class NftHostFirewall implements HostFirewall {
    private final HostCommands host;

    NftHostFirewall(HostCommands host) {
        this.host = host;
    }

    @Override
    public void apply(String ruleset) {
        host.run(List.of("nft", "-f", "-"), ruleset);
    }

    @Override
    public Map<String, Count> counters() {
        JsonNode listed;
        try {
            listed = Json.MAPPER.readTree(host.run("nft", "-j", "list", "counters"));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("nft printed what is not JSON: " + e.getOriginalMessage(), e);
        }
        Map<String, Count> counters = new HashMap<>();
        for (JsonNode item : listed.path("nftables")) {
            JsonNode counter = item.path("counter");
            if (counter.path("table").asText().equals(NftRuleset.TABLE)) {
                counters.put(counter.path("name").asText(), new Count(counter.path("packets").asLong(),
                        counter.path("bytes").asLong()));
            }
        }
        return counters;
    }
}
