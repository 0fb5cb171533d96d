package dev.portside.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Portside's test image, built by {@code bin/build-test-image} from Debian's packages and cached
 * between runs (the first build in a run takes a few seconds, later ones find it made).
 */
final class TestImage {
    private static Path directory;

    private TestImage() {
    }

    /** The image as qcow2, ready for {@code openstack image create --disk-format qcow2 --file}. */
    static synchronized Path qcow2() throws IOException, InterruptedException {
        return built().resolve("portside-test.qcow2");
    }

    static synchronized Path raw() throws IOException, InterruptedException {
        return built().resolve("portside-test.raw");
    }

    private static Path built() throws IOException, InterruptedException {
        if (directory == null) {
            Path script = Path.of("").toAbsolutePath().getParent().resolve("bin").resolve("build-test-image");
            Process build = new ProcessBuilder("bash", script.toString()).redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            String out = new String(build.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (build.waitFor() != 0) {
                throw new AssertionError("bin/build-test-image failed");
            }
            directory = Path.of(out.lines().reduce((a, b) -> b).orElseThrow());
        }
        return directory;
    }
}
