package dev.portside.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The result of a Glance JSON-patch ({@code application/openstack-images-v2.1-json-patch}) on an
 * image: {@code add}, {@code replace} and {@code remove} on {@code /name}, {@code /visibility},
 * {@code /protected}, {@code /os_hidden}, {@code /min_disk}, {@code /min_ram}, {@code /tags}, the
 * formats while the image is queued, and custom properties.
 */
record ImagePatch(Optional<String> name, String visibility, boolean isProtected, boolean osHidden, int minDisk,
                  int minRam, Optional<String> diskFormat, Optional<String> containerFormat,
                  Map<String, String> properties, List<String> tags) {
    private static final Set<String> OPS = Set.of("add", "replace", "remove");

    static ImagePatch apply(Image image, ArrayNode operations, Function<JsonNode, String> visibility) {
        var p = new Mutable(image);
        for (JsonNode operation : operations) {
            if (!operation.isObject() || !operation.path("op").isTextual() || !operation.path("path").isTextual()) {
                throw GlanceErrors.invalid("Unable to find 'op' and 'path' in the JSON-patch operation " + operation + ".");
            }
            String op = operation.get("op").asText();
            if (!OPS.contains(op)) {
                throw GlanceErrors.invalid("Operation '" + op + "' is not supported; use add, replace or remove.");
            }
            String path = operation.get("path").asText();
            if (!path.startsWith("/") || path.length() < 2 || path.indexOf('/', 1) >= 0) {
                throw GlanceErrors.invalid("Invalid JSON pointer for this resource: '" + path + "'");
            }
            String attribute = path.substring(1);
            JsonNode value = operation.get("value");
            if (!op.equals("remove") && value == null) {
                throw GlanceErrors.invalid("Operation '" + op + "' on " + path + " needs a value.");
            }
            p.apply(op, attribute, value, visibility);
        }
        return new ImagePatch(p.name, p.visibility, p.isProtected, p.osHidden, p.minDisk, p.minRam, p.diskFormat,
                p.containerFormat, p.properties, p.tags);
    }

    private static final class Mutable {
        private final Image image;
        Optional<String> name;
        String visibility;
        boolean isProtected;
        boolean osHidden;
        int minDisk;
        int minRam;
        Optional<String> diskFormat;
        Optional<String> containerFormat;
        final Map<String, String> properties;
        List<String> tags;

        Mutable(Image image) {
            this.image = image;
            name = image.name();
            visibility = image.visibility();
            isProtected = image.isProtected();
            osHidden = image.osHidden();
            minDisk = image.minDisk();
            minRam = image.minRam();
            diskFormat = image.diskFormat();
            containerFormat = image.containerFormat();
            properties = new LinkedHashMap<>(image.properties());
            tags = new ArrayList<>(image.tags());
        }

        void apply(String op, String attribute, JsonNode value, Function<JsonNode, String> checkVisibility) {
            boolean remove = op.equals("remove");
            switch (attribute) {
                case "name" -> name = remove ? Optional.empty() : Images.nullableText("name", value);
                case "visibility" -> visibility = remove ? refuseRemove(attribute) : checkVisibility.apply(value);
                case "protected" -> isProtected = remove ? refuseRemove(attribute) : Images.bool(attribute, value, false);
                case "os_hidden" -> osHidden = remove ? refuseRemove(attribute) : Images.bool(attribute, value, false);
                case "min_disk" -> minDisk = remove ? refuseRemove(attribute) : Images.count(attribute, value);
                case "min_ram" -> minRam = remove ? refuseRemove(attribute) : Images.count(attribute, value);
                case "tags" -> tags = remove ? new ArrayList<>() : new ArrayList<>(Images.tags(value));
                case "disk_format", "container_format" -> {
                    if (!image.status().equals(Image.QUEUED)) {
                        throw GlanceErrors.invalid("Attribute " + attribute + " can be only replaced for a queued image.");
                    }
                    Optional<String> format = remove ? Optional.empty() : Images.format(attribute, value,
                            attribute.equals("disk_format") ? Images.DISK_FORMATS : Images.CONTAINER_FORMATS);
                    if (attribute.equals("disk_format")) {
                        diskFormat = format;
                    } else {
                        containerFormat = format;
                    }
                }
                case "id" -> throw GlanceErrors.readOnly(attribute);
                default -> {
                    Images.property(attribute);
                    if (remove) {
                        if (properties.remove(attribute) == null) {
                            throw new dev.portside.common.http.ApiException(409, "Conflict",
                                    "Property " + attribute + " does not exist.");
                        }
                    } else if (op.equals("replace") && !properties.containsKey(attribute)) {
                        throw new dev.portside.common.http.ApiException(409, "Conflict",
                                "Property " + attribute + " does not exist.");
                    } else {
                        properties.put(attribute, Images.propertyValue(attribute, value));
                    }
                }
            }
        }

        private static <T> T refuseRemove(String attribute) {
            throw GlanceErrors.readOnly(attribute);
        }
    }
}
