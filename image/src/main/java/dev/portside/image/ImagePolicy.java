package dev.portside.image;

import java.util.Map;

/**
 * Glance's default policy for what Portside implements (glance/policies/image.py, secure RBAC): a
 * project's readers see its own images and public or community ones, its members create, change,
 * upload and download, and only an admin publishes.
 */
public final class ImagePolicy {
    private ImagePolicy() {
    }

    public static final Map<String, String> DEFAULTS = Map.ofEntries(
            Map.entry("context_is_admin", "role:admin"),
            Map.entry("owner", "project_id:%(owner)s"),
            // Writes: an admin, or a member of the owning project.
            Map.entry("admin_or_owner", "rule:context_is_admin or (role:member and rule:owner)"),
            Map.entry("published", "'public':%(visibility)s or 'community':%(visibility)s"),
            Map.entry("add_image", "rule:context_is_admin or (role:member and project_id:%(owner)s)"),
            Map.entry("get_image", "rule:context_is_admin or (role:reader and (rule:owner or rule:published))"),
            Map.entry("get_images", "rule:context_is_admin or role:reader"),
            Map.entry("modify_image", "rule:admin_or_owner"),
            Map.entry("upload_image", "rule:admin_or_owner"),
            // Glance lets members, not readers, download (compute downloads as the user who boots).
            Map.entry("download_image", "rule:context_is_admin or (role:member and (rule:owner or rule:published))"),
            Map.entry("delete_image", "rule:admin_or_owner"),
            Map.entry("publicize_image", "rule:context_is_admin"),
            Map.entry("communitize_image", "rule:admin_or_owner"));
}
