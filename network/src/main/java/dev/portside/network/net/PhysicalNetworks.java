package dev.portside.network.net;

import dev.portside.network.NeutronErrors;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The physical networks provider networks may use (ML2's flat_networks and network_vlan_ranges in
 * one): each one this host has an interface for, and for some a range of VLAN ids that a VLAN
 * network created without a segmentation id takes the lowest free one from.
 */
public record PhysicalNetworks(Set<String> names, Map<String, VlanRange> vlanRanges) {
    public static final PhysicalNetworks NONE = new PhysicalNetworks(Set.of(), Map.of());
    public static final int MIN_VLAN = 1;
    public static final int MAX_VLAN = 4094;

    public PhysicalNetworks {
        names = Set.copyOf(names);
        vlanRanges = Map.copyOf(vlanRanges);
        for (String physnet : vlanRanges.keySet()) {
            if (!names.contains(physnet)) {
                throw new IllegalArgumentException("network_vlan_ranges names " + physnet
                        + ", which physical_interface_mappings does not map to an interface");
            }
        }
    }

    /** VLAN ids {@code min} to {@code max}, both included. */
    public record VlanRange(int min, int max) {
        public VlanRange {
            if (min < MIN_VLAN || max > MAX_VLAN || min > max) {
                throw new IllegalArgumentException("a VLAN range is " + MIN_VLAN + " to " + MAX_VLAN
                        + ", its start not above its end: " + min + ":" + max);
            }
        }
    }

    /** Neutron's network_vlan_ranges entries, "physnet1:100:199" (a bare "physnet1" has no range). */
    public static Map<String, VlanRange> parseRanges(List<String> entries) {
        Map<String, VlanRange> ranges = new LinkedHashMap<>();
        for (String entry : entries) {
            String[] parts = entry.split(":");
            if (parts.length == 1) {
                continue;
            }
            if (parts.length != 3) {
                throw new IllegalArgumentException("a network_vlan_ranges entry is physnet:min:max, not " + entry);
            }
            try {
                ranges.put(parts[0], new VlanRange(Integer.parseInt(parts[1]), Integer.parseInt(parts[2])));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("a network_vlan_ranges entry is physnet:min:max, not " + entry);
            }
        }
        return ranges;
    }

    /**
     * The segment a create asks for, checked as ML2's type drivers check it; a VLAN network given no
     * segmentation id is left without one, for {@link #candidates} to fill in the transaction.
     */
    public Segment requested(Optional<String> type, Optional<String> physnet, Optional<Integer> segment) {
        String networkType = type.orElse(physnet.isPresent() || segment.isPresent() ? "" : Segment.LOCAL);
        switch (networkType) {
            case Segment.LOCAL -> {
                if (physnet.isPresent() || segment.isPresent()) {
                    throw NeutronErrors.invalidInput("provider:physical_network and provider:segmentation_id are"
                            + " not allowed for a local provider network.");
                }
                return Segment.LOCAL_SEGMENT;
            }
            case Segment.FLAT -> {
                if (segment.isPresent()) {
                    throw NeutronErrors.invalidInput("segmentation_id specified for flat provider network.");
                }
                String name = physnet.orElseThrow(() -> NeutronErrors.invalidInput(
                        "physical_network required for flat provider network."));
                known(name, "flat");
                return new Segment(Segment.FLAT, physnet, Optional.empty());
            }
            case Segment.VLAN -> {
                segment.ifPresent(id -> {
                    if (id < MIN_VLAN || id > MAX_VLAN) {
                        throw NeutronErrors.invalidInput("segmentation_id out of range (" + MIN_VLAN + " through "
                                + MAX_VLAN + ").");
                    }
                    if (physnet.isEmpty()) {
                        throw NeutronErrors.invalidInput("physical_network required for VLAN provider network.");
                    }
                });
                physnet.ifPresent(name -> known(name, "VLAN"));
                return new Segment(Segment.VLAN, physnet, segment);
            }
            case "" -> throw NeutronErrors.invalidInput("provider:network_type required.");
            default -> throw NeutronErrors.invalidInput("network_type value '" + networkType + "' not supported.");
        }
    }

    /**
     * The VLAN segments a VLAN network without a segmentation id may take, lowest first: on its
     * physical network's range, or on every range when it named none.
     */
    public List<Segment> candidates(Segment requested) {
        List<Segment> all = new ArrayList<>();
        vlanRanges.forEach((physnet, range) -> {
            if (requested.physicalNetwork().map(physnet::equals).orElse(true)) {
                for (int id = range.min(); id <= range.max(); id++) {
                    all.add(new Segment(Segment.VLAN, Optional.of(physnet), Optional.of(id)));
                }
            }
        });
        return all;
    }

    private void known(String physnet, String type) {
        if (!names.contains(physnet)) {
            throw NeutronErrors.invalidInput("physical_network '" + physnet + "' unknown for " + type
                    + " provider network.");
        }
    }
}
