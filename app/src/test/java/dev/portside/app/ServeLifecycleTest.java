package dev.portside.app;

import dev.portside.common.testing.Http;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Starting, stopping and restarting {@code portside serve}, and the clear errors when it cannot start. */
class ServeLifecycleTest {
    @TempDir
    Path dir;

    @Test
    void sigtermStopsServeGracefullyAndARestartKeepsTheBootstrappedAdmin() throws Exception {
        String password;
        try (ServeProcess first = new ServeProcess(dir.resolve("data")).awaitReady()) {
            password = first.openrcVariables().get("OS_PASSWORD");
            assertThat(first.terminate()).isEqualTo(143);
            assertThat(first.output()).contains("portside: stopping", "portside: stopped").doesNotContain("ERROR");
        }
        String openrcBefore = Files.readString(dir.resolve("data/openrc"));

        try (ServeProcess second = new ServeProcess(dir.resolve("data")).awaitReady()) {
            assertThat(Files.readString(second.openrc())).isEqualTo(openrcBefore);
            Http.Reply token = new Http(second.url()).post("/v3/auth/tokens", null, """
                    {"auth": {"identity": {"methods": ["password"], "password": {"user": {"name": "admin",
                      "domain": {"id": "default"}, "password": "%s"}}}}}""".formatted(password));
            assertThat(token.status()).as(token.toString()).isEqualTo(201);
            assertThat(token.json().at("/token/project/name").asText()).isEqualTo("admin");
        }
    }

    @Test
    void aPortInUseIsAClearStartupError() throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            Outcome outcome = serve("--data-dir", dir.resolve("data").toString(),
                    "--identity-port", String.valueOf(taken.getLocalPort()));

            assertThat(outcome.exit()).isEqualTo(1);
            assertThat(outcome.err()).contains("cannot serve identity").contains("Port already in use");
        }
    }

    @Test
    void anUnreadableOrMistypedConfigIsAClearStartupError() throws Exception {
        Path typo = dir.resolve("portside.yaml");
        Files.writeString(typo, "identity_prot: 5001\n");

        Outcome missing = serve("--config", dir.resolve("absent.yaml").toString());
        Outcome mistyped = serve("--config", typo.toString(), "--data-dir", dir.resolve("data").toString());

        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err()).contains("cannot read").contains("absent.yaml");
        assertThat(mistyped.exit()).isEqualTo(1);
        assertThat(mistyped.err()).contains("cannot read the config file").contains("identity_prot");
    }

    @Test
    void anUnreachableDatabaseIsAClearStartupErrorWithoutItsPassword() throws Exception {
        int closed = Http.freePort();

        Outcome outcome = serve("--data-dir", dir.resolve("data").toString(),
                "--database-url", "jdbc:postgresql://127.0.0.1:" + closed + "/portside?user=p&password=hunter2");

        assertThat(outcome.exit()).isEqualTo(1);
        assertThat(outcome.err()).contains("cannot reach the database").doesNotContain("hunter2");
    }

    @Test
    void aPolicyFileThatDoesNotParseIsAClearStartupError() throws Exception {
        Path policy = dir.resolve("policy.yaml");
        Files.writeString(policy, "\"identity:list_users\": \"role:admin and (\"\n");
        Path config = dir.resolve("portside.yaml");
        Files.writeString(config, "policy_file: " + policy + "\n");

        Outcome outcome = serve("--config", config.toString(), "--data-dir", dir.resolve("data").toString(),
                "--identity-port", String.valueOf(Http.freePort()));

        assertThat(outcome.exit()).isEqualTo(1);
        assertThat(outcome.err()).contains("identity:list_users");
    }

    record Outcome(int exit, String err) {
    }

    private static Outcome serve(String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream original = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            String[] all = new String[args.length + 1];
            all[0] = "serve";
            System.arraycopy(args, 0, all, 1, args.length);
            int exit = new CommandLine(new Main()).execute(all);
            return new Outcome(exit, err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(original);
        }
    }
}
