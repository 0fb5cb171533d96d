package dev.portside.compute.host;

import dev.portside.common.testing.TestClock;
import dev.portside.common.testing.TestDatabase;
import dev.portside.compute.virt.HostResources;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whether a compute host is up: one in its own process is while it reports, and is down once it
 * has been silent for longer than service_down_time; one in the controller's own process always is;
 * an operator's forced_down wins over both.
 */
@ParameterizedClass(name = "on {0}")
@MethodSource("dev.portside.common.testing.TestDatabase#configured")
class HostStoreTest {
    private static final Duration DOWN_TIME = Duration.ofSeconds(60);
    private static final HostResources HOST1 = new HostResources("host1", "namespace", 4, 8192, 100);

    @Parameter
    TestDatabase kind;
    TestDatabase.Instance database;
    Jdbi jdbi;
    TestClock clock = new TestClock();
    HostStore hosts = new HostStore(clock, DOWN_TIME);

    @BeforeEach
    void start() {
        database = kind.create();
        database.database().migrate("compute");
        jdbi = database.database().jdbi();
    }

    @AfterEach
    void stop() {
        database.close();
    }

    private ComputeHost host1() {
        return jdbi.withHandle(h -> hosts.find(h, "host1")).orElseThrow();
    }

    @Test
    void aHostInItsOwnProcessIsUpWhileItReportsAndDownOnceSilentLongerThanTheDownTime() {
        assertThat(jdbi.<Boolean, RuntimeException>inTransaction(h -> hosts.report(h, HOST1, "10.99.0.11", clock.instant())))
                .as("new to compute").isFalse();
        assertThat(host1().up()).isTrue();
        assertThat(host1().hostIp()).contains("10.99.0.11");

        clock.advance(DOWN_TIME.minusSeconds(1));
        assertThat(host1().up()).as("silent for less than the down time: still up").isTrue();
        clock.advance(Duration.ofSeconds(2));
        assertThat(host1().up()).isFalse();
        assertThat(host1().reporting()).isFalse();

        assertThat(jdbi.<Boolean, RuntimeException>inTransaction(h -> hosts.report(h, HOST1, "10.99.0.21", clock.instant())))
                .as("known already").isTrue();
        assertThat(host1().up()).isTrue();
        assertThat(host1().hostIp()).as("a host that moved reports its new address").contains("10.99.0.21");
    }

    @Test
    void aHostOfTheControllersOwnProcessIsUpWhateverTheClockSaysAndForcedDownWins() {
        jdbi.useTransaction(h -> hosts.register(h, HOST1, clock.instant()));
        clock.advance(Duration.ofDays(1));
        assertThat(host1().up()).isTrue();
        assertThat(host1().hostIp()).isEqualTo(Optional.empty());

        jdbi.useTransaction(h -> hosts.setForcedDown(h, "host1", true, clock.instant()));
        assertThat(host1().up()).isFalse();
        jdbi.useTransaction(h -> hosts.report(h, HOST1, "10.99.0.11", clock.instant()));
        assertThat(host1().up()).as("reporting does not lift an operator's forced_down").isFalse();
    }
}
