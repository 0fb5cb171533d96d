package dev.portside.identity.role;

import java.util.Optional;

/** The filters of {@code GET /v3/role_assignments}: user.id, scope.project.id or scope.domain.id, role.id. */
public record AssignmentFilter(Optional<String> userId, Optional<Assignment.Target> target, Optional<String> targetId,
                               Optional<String> roleId) {
}
