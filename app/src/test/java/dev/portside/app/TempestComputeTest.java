package dev.portside.app;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * OpenStack's own conformance suite against a Portside of its own ({@code bin/tempest}, a
 * tempest.conf written from what it serves). On the fake driver (two hosts), tempest's compute API
 * suites for servers, flavors, key pairs, the images proxy, limits, quotas and Nova's security group
 * proxy pass with no failure; on the namespace driver (real instances, as root) the tests that ask
 * for SSH validation pass too. Every test the suite skips is named in docs/conformance.md with why.
 */
class TempestComputeTest {
    private static final String PREFIX = "tempest.api.compute.";
    static final String SUITES = "^tempest\\.api\\.compute\\.(servers|flavors|keypairs|images|limits|quotas"
            + "|security_groups|test_quotas|test_versions|test_extensions)";
    /**
     * The tests tempest runs only with validation: interface attachment checked in the guest, the
     * guest's hostname, device tags. (Not the vcpus check: a namespace instance sees the host's CPUs;
     * docs/conformance.md says so.)
     */
    static final String VALIDATED = "^tempest\\.api\\.compute\\.servers\\.(test_attach_interfaces|test_device_tagging"
            + "|test_create_server\\.ServersTest(JSON|ManualDisk)\\.test_host_name_is_same_as_server_name)";

    @Test
    void tempestsComputeApiSuitesPassAndEverySkipIsDocumented() throws Exception {
        Tempest run = Tempest.run("fake", SUITES);
        assertThat(run.passed()).as("the suites ran: " + run.out()).isGreaterThan(250);
        run.assertSkipsDocumentedAndForget(PREFIX);
    }

    @Test
    void theTestsThatValidateOverSshPassOnRealNamespaceInstancesAndLeaveNothingOnTheHost() throws Exception {
        Tempest run = Tempest.run("namespace", VALIDATED);
        assertThat(run.passed()).as("hot-plug, reassigned ports and hostnames, in the guest: " + run.out())
                .isGreaterThanOrEqualTo(5);
        run.assertSkipsDocumentedAndForget(PREFIX);
        assertThat(HostShell.run("ip", "netns", "list")).as("no instance outlives the run").doesNotContain("portside-");
        assertThat(HostShell.run("ip", "-o", "link", "show", "type", "bridge")).as("nor a network's bridge")
                .doesNotContain("brq");
    }
}
