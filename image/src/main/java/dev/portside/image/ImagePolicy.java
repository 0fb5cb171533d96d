package dev.portside.image;

import java.util.Map;

/**
 * Glance's default policy for what Portside implements (glance/policies/image.py): a project sees
 * its own images and public or community ones, changes only its own, and only an admin publishes.
 */
public final class ImagePolicy {
    private ImagePolicy() {
    }

    public static final Map<String, String> DEFAULTS = Map.ofEntries(
            Map.entry("context_is_admin", "role:admin"),
            Map.entry("owner", "project_id:%(owner)s"),
            Map.entry("admin_or_owner", "rule:context_is_admin or rule:owner"),
            Map.entry("add_image", "role:admin or (role:member and project_id:%(owner)s)"),
            Map.entry("get_image", "rule:admin_or_owner or 'public':%(visibility)s or 'community':%(visibility)s"),
            Map.entry("get_images", ""),
            Map.entry("modify_image", "rule:admin_or_owner"),
            Map.entry("upload_image", "rule:admin_or_owner"),
            Map.entry("download_image", "rule:get_image"),
            Map.entry("delete_image", "rule:admin_or_owner"),
            Map.entry("publicize_image", "rule:context_is_admin"),
            Map.entry("communitize_image", "rule:admin_or_owner"));
}
