package dev.portside.app;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * OpenStack's own conformance suite against a Portside of its own ({@code bin/tempest}: the fake
 * driver on two hosts, a tempest.conf written from what it serves): tempest's compute API suites for
 * servers, flavors, key pairs, the images proxy, limits, quotas and Nova's security group proxy pass
 * with no failure, and every test the suite skips is named in docs/conformance.md with why.
 */
class TempestComputeTest {
    static final String SUITES = "^tempest\\.api\\.compute\\.(servers|flavors|keypairs|images|limits|quotas"
            + "|security_groups|test_quotas|test_versions|test_extensions)";

    @Test
    void tempestsComputeApiSuitesPassAndEverySkipIsDocumented() throws Exception {
        Path root = Path.of("").toAbsolutePath().getParent();
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder tempest = new ProcessBuilder("bash", root.resolve("bin/tempest").toString(), "--regex", SUITES)
                .redirectErrorStream(true);
        // Portside on this build's own class path: no build inside the build.
        tempest.environment().put("PORTSIDE_COMMAND", java + " -cp " + System.getProperty("java.class.path") + " "
                + Main.class.getName());
        Process run = tempest.start();
        String out = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = run.waitFor();

        assertThat(out).as(out).contains(" - Failed: 0");
        assertThat(exit).as(out).isZero();
        Matcher passed = Pattern.compile(" - Passed: (\\d+)").matcher(out);
        assertThat(passed.find() && Integer.parseInt(passed.group(1)) > 250).as("the suites ran: " + out).isTrue();

        Matcher workspace = Pattern.compile("bin/tempest: workspace (\\S+)").matcher(out);
        assertThat(workspace.find()).as(out).isTrue();
        String docs = Files.readString(root.resolve("docs/conformance.md"));
        List<String> undocumented = Files.readAllLines(Path.of(workspace.group(1), "skipped.txt")).stream()
                .map(TempestComputeTest::skippedName).filter(name -> !docs.contains(name)).toList();
        assertThat(undocumented).as("skips docs/conformance.md does not name").isEmpty();
        // Passed: the workspace (kept by bin/tempest to look into a failure) is not needed.
        try (var files = Files.walk(Path.of(workspace.group(1)))) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
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
