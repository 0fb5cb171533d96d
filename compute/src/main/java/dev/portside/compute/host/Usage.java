package dev.portside.compute.host;

/** What the servers placed on a host claim of it. */
public record Usage(int vcpus, int memoryMb, int localGb, int servers) {
    public static final Usage NONE = new Usage(0, 0, 0, 0);
}
