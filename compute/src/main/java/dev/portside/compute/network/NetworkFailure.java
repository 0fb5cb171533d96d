package dev.portside.compute.network;

/** The network service refused or failed a request; {@code type} is its error type (e.g. "IpAddressAlreadyAllocated"). */
public final class NetworkFailure extends RuntimeException {
    private final int status;
    private final String type;

    public NetworkFailure(int status, String type, String message) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }

    /** The same refusal as compute's answer, where Nova passes Neutron's on to the user. */
    public dev.portside.common.http.ApiException asApiError() {
        return new dev.portside.common.http.ApiException(status, type, getMessage());
    }
}
