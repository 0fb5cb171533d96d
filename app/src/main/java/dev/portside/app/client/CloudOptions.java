package dev.portside.app.client;

import picocli.CommandLine.Option;

/**
 * Where and who to authenticate as: the openstack CLI's {@code --os-*} options, read from the same
 * OS_* variables by default, so a sourced openrc serves both commands.
 */
public final class CloudOptions {
    @Option(names = "--os-auth-url", defaultValue = "${env:OS_AUTH_URL}", description = "Identity endpoint (OS_AUTH_URL).")
    String authUrl;

    @Option(names = "--os-username", defaultValue = "${env:OS_USERNAME}", description = "User name (OS_USERNAME).")
    String username;

    @Option(names = "--os-password", defaultValue = "${env:OS_PASSWORD}", description = "Password (OS_PASSWORD).")
    String password;

    @Option(names = "--os-project-name", defaultValue = "${env:OS_PROJECT_NAME}",
            description = "Project to scope to (OS_PROJECT_NAME).")
    String projectName;

    @Option(names = "--os-user-domain-name", defaultValue = "${env:OS_USER_DOMAIN_NAME:-Default}",
            description = "The user's domain (OS_USER_DOMAIN_NAME, default Default).")
    String userDomainName;

    @Option(names = "--os-project-domain-name", defaultValue = "${env:OS_PROJECT_DOMAIN_NAME:-Default}",
            description = "The project's domain (OS_PROJECT_DOMAIN_NAME, default Default).")
    String projectDomainName;

    @Option(names = "--os-region-name", defaultValue = "${env:OS_REGION_NAME}",
            description = "Region of the endpoint to use (OS_REGION_NAME; any when unset).")
    String regionName;

    @Option(names = "--os-interface", defaultValue = "${env:OS_INTERFACE:-public}",
            description = "Endpoint interface (OS_INTERFACE, default public).")
    String endpointInterface;

    /** Authenticates and finds the endpoint of {@code serviceType} in the catalog. */
    public OpenstackSession login(String serviceType) {
        for (String[] required : new String[][]{{authUrl, "--os-auth-url or OS_AUTH_URL"},
                {username, "--os-username or OS_USERNAME"}, {password, "--os-password or OS_PASSWORD"},
                {projectName, "--os-project-name or OS_PROJECT_NAME"}}) {
            if (required[0] == null || required[0].isBlank()) {
                throw new ClientException("missing " + required[1] + " (source the openrc that portside serve wrote)");
            }
        }
        return OpenstackSession.login(this, serviceType);
    }
}
