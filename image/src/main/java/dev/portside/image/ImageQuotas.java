package dev.portside.image;

import dev.portside.common.http.ApiException;
import dev.portside.common.quota.Quotas;
import org.jdbi.v3.core.Handle;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SequencedMap;
import java.util.function.Function;

/**
 * Glance's quotas. Per project, the unified-limit resources Glance enforces, read as Glance reads
 * them from Keystone (a project's limit, else the registered default), else the limits DevStack
 * registers for Glance: {@code image_count_total} (images owned, 100) and {@code image_size_total}
 * (MiB of image data stored, 10,000). Per image, Glance's
 * {@code image_tag_quota} and {@code image_property_quota} (128 each), so one request cannot make an
 * image whose tags slow down every image list. Over a limit is Glance's 413.
 */
final class ImageQuotas {
    static final int MAX_TAGS = 128;
    static final int MAX_PROPERTIES = 128;
    private static final long MIB = 1024 * 1024;

    private final Quotas quotas;

    /** {@code limits} answers a project's unified limits for the image service (Keystone's, in-process). */
    ImageQuotas(Function<String, Map<String, Long>> limits) {
        SequencedMap<String, Long> defaults = new LinkedHashMap<>();
        defaults.put("image_count_total", 100L);
        defaults.put("image_size_total", 10_000L);
        this.quotas = new Quotas("image", defaults, ImageQuotas::used, (h, project) -> limits.apply(project));
    }

    Quotas quotas() {
        return quotas;
    }

    static void checkTags(int count) {
        if (count > MAX_TAGS) {
            throw new ApiException(413, "RequestEntityTooLarge",
                    "Maximum number of tags exceeded: attempted " + count + ", maximum " + MAX_TAGS + ".");
        }
    }

    static void checkProperties(int count) {
        if (count > MAX_PROPERTIES) {
            throw new ApiException(413, "RequestEntityTooLarge",
                    "Maximum number of properties exceeded: attempted " + count + ", maximum " + MAX_PROPERTIES + ".");
        }
    }

    /** One more image for {@code owner}: first in the creating transaction. */
    void claimImage(Handle h, String owner) {
        refuse(quotas.claim(h, owner, Map.of("image_count_total", 1L)));
    }

    /**
     * {@code bytes} more of stored data for {@code owner}; with 0, only whether the project is already
     * at its limit (Glance's check before it accepts an upload's first byte).
     */
    void claimData(Handle h, String owner, long bytes) {
        long mib = (bytes + MIB - 1) / MIB;
        refuse(quotas.claim(h, owner, Map.of("image_size_total", Math.max(1, mib))));
    }

    private static void refuse(List<Quotas.Over> over) {
        for (Quotas.Over o : over) {
            throw new ApiException(413, "RequestEntityTooLarge", "Resource " + o.resource() + " is over limit of "
                    + o.limit() + " due to current usage " + o.used() + " and delta " + o.requested());
        }
    }

    private static long used(Handle h, String owner, String resource) {
        return switch (resource) {
            case "image_count_total" -> h.createQuery("SELECT count(*) FROM image_image WHERE owner = :owner")
                    .bind("owner", owner).mapTo(Long.class).one();
            case "image_size_total" -> h.createQuery(
                            "SELECT coalesce(sum((size + 1048575) / 1048576), 0) FROM image_image WHERE owner = :owner"
                                    + " AND size IS NOT NULL")
                    .bind("owner", owner).mapTo(Long.class).one();
            default -> 0;
        };
    }
}
