package dev.portside.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * OpenStack's own conformance suite for the Networking API ({@code bin/tempest} on the fake
 * driver, with the all-in-one's external network {@code public}): ports, networks, routers,
 * floating IPs, security groups, allowed address pairs and extensions pass with no failure, and
 * every skip is named in docs/conformance.md with why.
 *
 * <p>Runs beside the module's other test classes, which run one after another: the suites spend
 * most of their time in tempest's own {@code time.sleep(10)} before every subnet delete, and their
 * Portside (fake driver, ports of its own) touches nothing on the host the others use.
 */
@Execution(ExecutionMode.CONCURRENT)
class TempestNetworkTest {
    private static final String PREFIX = "tempest.api.network.";
    static final String SUITES = "^tempest\\.api\\.network\\.(test_ports|test_networks|test_routers"
            + "|test_routers_negative|test_floating_ips|test_floating_ips_negative|test_security_groups"
            + "|test_security_groups_negative|test_allowed_address_pair|test_extensions|test_extra_dhcp_options)\\b";

    @Test
    void tempestsNetworkApiSuitesPassAndEverySkipIsDocumented() throws Exception {
        Tempest run = Tempest.run("fake", SUITES);
        assertThat(run.passed()).as("the suites ran: " + run.out()).isGreaterThan(150);
        run.assertSkipsDocumentedAndForget(PREFIX);
    }
}
