package dev.portside.identity;

import dev.portside.identity.resource.Domain;
import dev.portside.identity.resource.Project;
import dev.portside.identity.resource.ResourceStore;
import dev.portside.identity.role.Assignment;
import dev.portside.identity.role.Role;
import dev.portside.identity.role.RoleStore;
import dev.portside.identity.user.PasswordHasher;
import dev.portside.identity.user.User;
import dev.portside.identity.user.UserStore;
import org.jdbi.v3.core.Jdbi;

import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;

/**
 * What {@code keystone-manage bootstrap} does, on first start: the Default domain, the admin, member
 * and reader roles, an admin project and an admin user holding the admin role on it and on the
 * domain. It does nothing once the Default domain exists.
 */
public final class Bootstrap {
    public static final String ADMIN = "admin";

    /** The admin's credentials, known only on the start that created them. */
    public record AdminCredentials(String userName, String password, String projectName, String projectId) {
    }

    private final Jdbi jdbi;
    private final ResourceStore resources;
    private final UserStore users;
    private final RoleStore roles;
    private final PasswordHasher passwords;

    public Bootstrap(Jdbi jdbi, ResourceStore resources, UserStore users, RoleStore roles, PasswordHasher passwords) {
        this.jdbi = jdbi;
        this.resources = resources;
        this.users = users;
        this.roles = roles;
        this.passwords = passwords;
    }

    public Optional<AdminCredentials> run() {
        if (jdbi.withHandle(h -> resources.domain(h, Domain.DEFAULT_ID)).isPresent()) {
            return Optional.empty();
        }
        String password = randomPassword();
        String hash = passwords.hash(password);
        try {
            return create(password, hash);
        } catch (org.jdbi.v3.core.statement.UnableToExecuteStatementException e) {
            // Another Portside on the same database bootstrapped first; its admin stands, and this start goes on.
            if (dev.portside.common.db.Constraints.isUniqueViolation(e)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private Optional<AdminCredentials> create(String password, String hash) {
        return jdbi.inTransaction(h -> {
            // Re-checked inside the transaction; a second process racing us fails on the primary key and rolls back.
            if (resources.domain(h, Domain.DEFAULT_ID).isPresent()) {
                return Optional.empty();
            }
            resources.insertDomain(h, new Domain(Domain.DEFAULT_ID, "Default",
                    Optional.of("The default domain"), true));
            String adminRole = null;
            for (String name : List.of(ADMIN, "member", "reader")) {
                Role role = new Role(Ids.newId(), name, Optional.empty());
                roles.insert(h, role);
                if (name.equals(ADMIN)) {
                    adminRole = role.id();
                }
            }
            Project project = new Project(Ids.newId(), Domain.DEFAULT_ID, ADMIN,
                    Optional.of("Bootstrap project for initializing the cloud."), true, List.of());
            resources.insertProject(h, project);
            User admin = new User(Ids.newId(), Domain.DEFAULT_ID, ADMIN, Optional.empty(), Optional.empty(), true,
                    Optional.of(project.id()));
            users.insert(h, admin, Optional.of(hash));
            roles.grant(h, new Assignment(admin.id(), Assignment.Target.PROJECT, project.id(), adminRole));
            roles.grant(h, new Assignment(admin.id(), Assignment.Target.DOMAIN, Domain.DEFAULT_ID, adminRole));
            return Optional.of(new AdminCredentials(ADMIN, password, ADMIN, project.id()));
        });
    }

    private static String randomPassword() {
        String alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
        SecureRandom random = new SecureRandom();
        StringBuilder password = new StringBuilder();
        for (int i = 0; i < 24; i++) {
            password.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return password.toString();
    }
}
