package dev.portside.app;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * OpenStack's own conformance suite against a Portside of its own ({@code bin/tempest}, a
 * tempest.conf written from what it serves). On the fake driver (two hosts), tempest's compute API
 * suites for servers, flavors, key pairs, the images proxy, limits, quotas and Nova's security group
 * proxy pass with no failure; on the namespace driver (real instances, as root) the tests that ask
 * for SSH validation pass too. Every test the suite skips is named in docs/conformance.md with why.
 */
class TempestComputeTest {
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
        Run run = tempest("fake", SUITES);
        assertThat(run.passed()).as("the suites ran: " + run.out()).isGreaterThan(250);
        run.assertSkipsDocumentedAndForget();
    }

    @Test
    void theTestsThatValidateOverSshPassOnRealNamespaceInstancesAndLeaveNothingOnTheHost() throws Exception {
        Run run = tempest("namespace", VALIDATED);
        assertThat(run.passed()).as("hot-plug, reassigned ports and hostnames, in the guest: " + run.out())
                .isGreaterThanOrEqualTo(5);
        run.assertSkipsDocumentedAndForget();
        assertThat(HostShell.run("ip", "netns", "list")).as("no instance outlives the run").doesNotContain("portside-");
        assertThat(HostShell.run("ip", "-o", "link", "show", "type", "bridge")).as("nor a network's bridge")
                .doesNotContain("brq");
    }

    private static Run tempest(String driver, String regex) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of("bash", ROOT.resolve("bin/tempest").toString(), "--driver",
                driver, "--regex", regex));
        ProcessBuilder tempest = new ProcessBuilder(command).redirectErrorStream(true);
        // Portside on this build's own class path: no build inside the build.
        tempest.environment().put("PORTSIDE_COMMAND", java + " -cp " + System.getProperty("java.class.path") + " "
                + Main.class.getName());
        Process process = tempest.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = process.waitFor();

        assertThat(out).as(out).contains(" - Failed: 0");
        assertThat(exit).as(out).isZero();
        Matcher passed = Pattern.compile(" - Passed: (\\d+)").matcher(out);
        Matcher workspace = Pattern.compile("bin/tempest: workspace (\\S+)").matcher(out);
        assertThat(passed.find() && workspace.find()).as(out).isTrue();
        return new Run(out, Integer.parseInt(passed.group(1)), Path.of(workspace.group(1)));
    }

    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    private record Run(String out, int passed, Path workspace) {
        void assertSkipsDocumentedAndForget() throws IOException {
            String docs = Files.readString(ROOT.resolve("docs/conformance.md"));
            List<String> undocumented = Files.readAllLines(workspace.resolve("skipped.txt")).stream()
                    .map(TempestComputeTest::skippedName).filter(name -> !docs.contains(name)).toList();
            assertThat(undocumented).as("skips docs/conformance.md does not name").isEmpty();
            // Passed: the workspace (kept by bin/tempest to look into a failure) is not needed.
            try (var files = Files.walk(workspace)) {
                files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
            }
        }
    }

    // "setUpClass (tempest.x.Class) ... SKIPPED: why" names the class, "tempest.x.Class.test ... SKIPPED" the test.
    private static String skippedName(String line) {
        String name = line.substring(0, line.indexOf(" ... SKIPPED")).replaceAll("\\[.*$", "");
        Matcher setUp = Pattern.compile("setUpClass \\((.+)\\)").matcher(name);
        String full = setUp.matches() ? setUp.group(1) : name;
        return full.replace("tempest.api.compute.", "");
    }
}
