package dev.portside.app;

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
 * One run of OpenStack's conformance suite against a Portside of its own ({@code bin/tempest}, on
 * this build's class path): what passed, and a check that every test it skipped is named in
 * docs/conformance.md with why.
 */
record Tempest(String out, int passed, Path workspace) {
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    /** Runs the tests {@code regex} names on {@code driver}; fails the test unless none failed. */
    static Tempest run(String driver, String regex) throws IOException, InterruptedException {
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
        return new Tempest(out, Integer.parseInt(passed.group(1)), Path.of(workspace.group(1)));
    }

    /**
     * Every skip is in docs/conformance.md, named without {@code prefix} ("tempest.api.compute.");
     * then the workspace (kept by bin/tempest to look into a failure) is removed.
     */
    void assertSkipsDocumentedAndForget(String prefix) throws IOException {
        String docs = Files.readString(ROOT.resolve("docs/conformance.md"));
        List<String> undocumented = Files.readAllLines(workspace.resolve("skipped.txt")).stream()
                .map(line -> skippedName(line).replace(prefix, "")).filter(name -> !docs.contains(name)).toList();
        assertThat(undocumented).as("skips docs/conformance.md does not name").isEmpty();
        try (var files = Files.walk(workspace)) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        }
    }

    // "setUpClass (tempest.x.Class) ... SKIPPED: why" names the class, "tempest.x.Class.test ... SKIPPED" the test.
    private static String skippedName(String line) {
        String name = line.substring(0, line.indexOf(" ... SKIPPED")).replaceAll("\\[.*$", "");
        Matcher setUp = Pattern.compile("setUpClass \\((.+)\\)").matcher(name);
        return setUp.matches() ? setUp.group(1) : name;
    }
}
