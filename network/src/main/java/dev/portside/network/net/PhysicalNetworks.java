package dev.portside.network.net;

import dev.portside.network.NeutronErrors;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The segments networks may have (ML2's type drivers' settings in one): the physical networks
 * provider networks may use, each one this host has an interface for, and for some a range of VLAN
 * ids that a VLAN network created without a segmentation id takes the lowest free one from; and,
 * when Portside spans several hosts, the VXLAN ids (ML2's vni_ranges) that tenant networks take
 * theirs from: VXLAN is then the type a network gets when its creator names none (ML2's
 * tenant_network_types), as the one kind of network that reaches every host.
 */
public record PhysicalNetworks(Set<String> names, Map<String, VlanRange> vlanRanges, Optional<VniRange> vniRange) {
    public static final PhysicalNetworks NONE = new PhysicalNetworks(Set.of(), Map.of());
    public static final int MIN_VLAN = 1;
    public static final int MAX_VLAN = 4094;
    public static final int MIN_VNI = 1;
    // VXLAN's 24-bit network identifier.
    public static final int MAX_VNI = (1 << 24) - 1;

    public PhysicalNetworks(Set<String> names, Map<String, VlanRange> vlanRanges) {
        this(names, vlanRanges, Optional.empty());
    }

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

    /** VXLAN network ids {@code min} to {@code max}, both included. */
    public record VniRange(int min, int max) {
        public VniRange {
            if (min < MIN_VNI || max > MAX_VNI || min > max) {
                throw new IllegalArgumentException("a VXLAN id range is " + MIN_VNI + " to " + MAX_VNI
                        + ", its start not above its end: " + min + ":" + max);
            }
        }

        /** ML2's vni_ranges entry, "1:1000". */
        public static VniRange parse(String entry) {
            String[] parts = entry.split(":");
            try {
                if (parts.length == 2) {
                    return new VniRange(Integer.parseInt(parts[0].strip()), Integer.parseInt(parts[1].strip()));
                }
            } catch (NumberFormatException e) {
                // said below
            }
            throw new IllegalArgumentException("vni_ranges is min:max, not " + entry);
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
        String networkType = type.orElse(physnet.isPresent() || segment.isPresent() ? ""
                : vniRange.isPresent() ? Segment.VXLAN : Segment.LOCAL);
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
            case Segment.VXLAN -> {
                if (vniRange.isEmpty()) {
                    throw NeutronErrors.invalidInput("network_type value 'vxlan' not supported.");
                }
                if (physnet.isPresent()) {
                    throw NeutronErrors.invalidInput("provider:physical_network specified for vxlan network.");
                }
                segment.ifPresent(id -> {
                    if (id < MIN_VNI || id > MAX_VNI) {
                        throw NeutronErrors.invalidInput("vxlan network 'segmentation_id' out of range (" + MIN_VNI
                                + " through " + MAX_VNI + ").");
                    }
                });
                return new Segment(Segment.VXLAN, Optional.empty(), segment);
            }
            case "" -> throw NeutronErrors.invalidInput("provider:network_type required.");
            default -> throw NeutronErrors.invalidInput("network_type value '" + networkType + "' not supported.");
        }
    }

    /**
     * The segments a VLAN or VXLAN network without a segmentation id may take, lowest first: a VLAN
     * network's on its physical network's range, or on every range when it named none.
     */
    public List<Segment> candidates(Segment requested) {
        List<Segment> all = new ArrayList<>();
        if (requested.networkType().equals(Segment.VXLAN)) {
            vniRange.ifPresent(range -> {
                for (int id = range.min(); id <= range.max(); id++) {
                    all.add(new Segment(Segment.VXLAN, Optional.empty(), Optional.of(id)));
                }
            });
            return all;
        }
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
