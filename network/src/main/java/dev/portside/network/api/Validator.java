package dev.portside.network.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portside.network.NeutronErrors;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * An attribute's validator (neutron-lib's {@code validators}): refuses a value with Neutron's
 * "Invalid input for X. Reason: ..." message. Types and lengths are checked where the value is read
 * ({@link dev.portside.common.json.Fields}); validators check what a type cannot say.
 */
@FunctionalInterface
public interface Validator {
    Validator ANY = (name, value) -> { };

    Pattern UUID_TEXT = Pattern.compile(
            "[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}");

    void check(String name, JsonNode value);

    static Validator uuid() {
        return (name, value) -> {
            if (value.isTextual() && !UUID_TEXT.matcher(value.asText()).matches()) {
                throw NeutronErrors.invalidAttribute(name, "'" + value.asText() + "' is not a valid UUID.");
            }
        };
    }

    /** A list of UUIDs (security_groups). */
    static Validator uuids() {
        Validator one = uuid();
        return (name, value) -> {
            if (value.isArray()) {
                value.forEach(item -> one.check(name, item));
            }
        };
    }

    static Validator range(int min, int max) {
        return (name, value) -> {
            if (value.isIntegralNumber() && (value.asLong() < min || value.asLong() > max)) {
                throw NeutronErrors.invalidAttribute(name, "'" + value.asText() + "' is not in range " + min
                        + " through " + max);
            }
        };
    }

    static Validator oneOf(Set<String> allowed) {
        return (name, value) -> {
            if (value.isTextual() && !allowed.contains(value.asText())) {
                throw NeutronErrors.invalidAttribute(name, "'" + value.asText() + "' is not in " + new TreeSet<>(allowed));
            }
        };
    }
}
