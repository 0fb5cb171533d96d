package dev.portside.compute.scheduler;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Which host types run an image, by its hypervisor_type (Nova's ImagePropertiesFilter, for Portside's types). */
class ImagePropertiesFilterTest {

    @Test
    void anImageThatNamesNoHypervisorIsADiskThatOnlyVmHostsBoot() {
        assertThat(Scheduler.runs("QEMU", Optional.empty())).isTrue();
        assertThat(Scheduler.runs("namespace", Optional.empty())).isFalse();
    }

    @Test
    void anImageThatNamesAHypervisorRunsOnlyOnHostsOfThatTypeInAnyCase() {
        assertThat(Scheduler.runs("namespace", Optional.of("namespace"))).isTrue();
        assertThat(Scheduler.runs("QEMU", Optional.of("namespace"))).isFalse();
        assertThat(Scheduler.runs("QEMU", Optional.of("qemu"))).isTrue();
        assertThat(Scheduler.runs("QEMU", Optional.of("kvm"))).isTrue();
        assertThat(Scheduler.runs("QEMU", Optional.of("xen"))).isFalse();
        assertThat(Scheduler.runs("namespace", Optional.of("kvm"))).isFalse();
    }

    @Test
    void theFakeDriverTakesAnything() {
        assertThat(Scheduler.runs("fake", Optional.empty())).isTrue();
        assertThat(Scheduler.runs("fake", Optional.of("xen"))).isTrue();
    }
}
