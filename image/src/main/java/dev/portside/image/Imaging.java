package dev.portside.image;

import dev.portside.common.db.Database;
import dev.portside.common.http.ErrorFormat;
import dev.portside.common.policy.Policy;
import io.javalin.Javalin;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/** The image service, wired: its schema, its store of image data, and its routes. */
public final class Imaging {
    /**
     * Where clients reach it, where image data is kept, the largest image accepted, policy overrides,
     * and where a project's unified limits come from (Keystone, as Glance reads them).
     */
    public record Settings(String publicUrl, Path storeDirectory, long sizeCap, Map<String, String> policyOverrides,
                           java.util.function.Function<String, Map<String, Long>> limits) {
        // Glance's image_size_cap default: 1 TiB.
        public static final long DEFAULT_SIZE_CAP = 1L << 40;
    }

    private final Images images;
    private final ImageApi api;

    public Imaging(Database database, Settings settings, Clock clock) {
        database.migrate("image");
        Policy policy = Policy.of(ImagePolicy.DEFAULTS, settings.policyOverrides());
        this.images = new Images(database.jdbi(), new ImageStore(), new ImageFiles(settings.storeDirectory(),
                settings.sizeCap()), policy, clock, new ImageQuotas(settings.limits()));
        this.api = new ImageApi(images, settings.publicUrl());
    }

    /** The operations behind the API, for callers in the same process (compute's image client). */
    public Images images() {
        return images;
    }

    public ErrorFormat errors() {
        return new GlanceErrors();
    }

    public void register(Javalin app) {
        api.register(app);
    }
}
