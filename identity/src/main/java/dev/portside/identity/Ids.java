package dev.portside.identity;

import java.util.UUID;

/** Keystone's ids: a random UUID as 32 hex digits. */
public final class Ids {
    private Ids() {
    }

    public static String newId() {
        return UUID.randomUUID().toString().replace("-", "");
    }
}
