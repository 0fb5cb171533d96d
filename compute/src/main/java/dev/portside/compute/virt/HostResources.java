package dev.portside.compute.virt;

/** One host a driver serves: its name and what it can give instances. */
public record HostResources(String host, String hypervisorType, int vcpus, int memoryMb, int localGb) {
}
