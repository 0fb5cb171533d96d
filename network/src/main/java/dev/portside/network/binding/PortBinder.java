package dev.portside.network.binding;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Binds ports as ML2's mechanism manager does: the drivers configured for the host try in order,
 * and the first that binds wins; when none does, the port is {@code binding_failed}.
 *
 * <p>Where the unaddressed-port rule lives on the network side: an unaddressed port is only bound by
 * a driver whose connectivity is "l2" — on an L3 backend it could carry nothing, so no L3 driver is
 * even asked, and compute sees {@code binding_failed}.
 */
public final class PortBinder {
    private final Map<String, List<MechanismDriver>> driversByHost;
    private final List<MechanismDriver> defaultDrivers;

    /** {@code driversByHost}: hosts with drivers of their own; every other host uses {@code defaultDrivers}. */
    public PortBinder(Map<String, List<MechanismDriver>> driversByHost, List<MechanismDriver> defaultDrivers) {
        this.driversByHost = Map.copyOf(driversByHost);
        this.defaultDrivers = List.copyOf(defaultDrivers);
    }

    public Binding bind(BindingRequest request) {
        if (request.host().isEmpty()) {
            return Binding.UNBOUND;
        }
        for (MechanismDriver driver : driversByHost.getOrDefault(request.host(), defaultDrivers)) {
            if (request.unaddressed() && !unaddressedPortsMayUse(driver)) {
                continue;
            }
            Optional<Binding> bound = driver.bind(request);
            if (bound.isPresent()) {
                return bound.get();
            }
        }
        return Binding.FAILED;
    }

    /** The spec's rule: an unaddressed port needs a backend with L2 connectivity. */
    static boolean unaddressedPortsMayUse(MechanismDriver driver) {
        return driver.connectivity().equals("l2");
    }

    /** The drivers Portside ships, by the names operators configure. */
    public static Map<String, MechanismDriver> shipped() {
        return Map.of("linuxbridge", new LinuxBridgeDriver(), "routed", new RoutedDriver());
    }
}
