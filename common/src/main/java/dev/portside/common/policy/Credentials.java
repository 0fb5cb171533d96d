package dev.portside.common.policy;

import dev.portside.common.auth.AuthContext;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** The caller as policy rules see it: oslo.policy's credential keys and lower-cased role names. */
record Credentials(Map<String, String> values, Set<String> roles) {
    static Credentials of(AuthContext auth) {
        Map<String, String> values = new HashMap<>();
        values.put("user_id", auth.userId());
        values.put("user_domain_id", auth.userDomainId());
        auth.project().ifPresent(project -> {
            values.put("project_id", project.id());
            values.put("tenant_id", project.id());
            values.put("project_domain_id", project.domainId());
        });
        auth.domain().ifPresent(domain -> values.put("domain_id", domain.id()));
        Set<String> roles = auth.roles().stream()
                .map(role -> role.toLowerCase(Locale.ROOT))
                .collect(Collectors.toUnmodifiableSet());
        values.put("is_admin", String.valueOf(roles.contains("admin")));
        return new Credentials(Map.copyOf(values), roles);
    }
}
