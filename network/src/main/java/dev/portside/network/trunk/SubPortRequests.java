package dev.portside.network.trunk;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portside.network.api.Validator;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code sub_ports} of a request, checked as neutron-lib's {@code validate_subports} checks them
 * (a list of objects, each with a valid and unique {@code port_id}, segmentation details given
 * together and not repeated), with its messages. What needs the database is {@link TrunkRules}'.
 */
public final class SubPortRequests {
    /** One asked-for sub-port; the segmentation is absent in a removal ({@code [{"port_id": ...}]}). */
    public record Asked(String portId, Optional<String> segmentationType, Optional<JsonNode> segmentationId) {
    }

    private SubPortRequests() {
    }

    /** The attribute's validator: Neutron's "Invalid input for sub_ports. Reason: ..." (400). */
    public static Validator validator() {
        return (name, value) -> problem(value).ifPresent(why -> {
            throw dev.portside.network.NeutronErrors.invalidAttribute(name, why);
        });
    }

    /** The sub-ports of an add or remove action, whose problems are Neutron's InvalidInput (400). */
    public static List<Asked> parse(JsonNode value) {
        problem(value).ifPresent(why -> {
            throw dev.portside.network.NeutronErrors.invalidInput(why);
        });
        List<Asked> asked = new ArrayList<>();
        for (JsonNode item : value) {
            asked.add(new Asked(item.get("port_id").asText(), text(item.get("segmentation_type")),
                    Optional.ofNullable(item.get("segmentation_id")).filter(v -> !v.isNull())));
        }
        return asked;
    }

    static Optional<String> problem(JsonNode value) {
        if (value == null || !value.isArray()) {
            return Optional.of("Invalid data format for subports: '" + render(value) + "' is not a list");
        }
        Set<String> ids = new HashSet<>();
        Map<String, Set<String>> segmentations = new HashMap<>();
        for (JsonNode item : value) {
            if (!item.isObject()) {
                return Optional.of("Invalid data format for subport: '" + render(item) + "' is not a dict");
            }
            JsonNode port = item.get("port_id");
            if (port == null) {
                return Optional.of("A valid port UUID must be specified");
            }
            if (!port.isTextual() || !Validator.UUID_TEXT.matcher(port.asText()).matches()) {
                return Optional.of("Invalid UUID for subport: '" + render(port) + "'");
            }
            if (!ids.add(port.asText())) {
                return Optional.of("Non unique UUID for subport: '" + port.asText() + "'");
            }
            Optional<String> type = text(item.get("segmentation_type"));
            if (type.filter(SubPort.INHERIT::equals).isPresent()) {
                continue;
            }
            JsonNode segment = item.get("segmentation_id");
            boolean segmentGiven = segment != null && !segment.isNull();
            if ((type.isEmpty() || !segmentGiven) && item.size() > 1) {
                return Optional.of("Invalid subport details '" + render(item) + "': missing segmentation information."
                        + " Must specify both segmentation_id and segmentation_type");
            }
            if (segmentGiven && !segmentations.computeIfAbsent(type.orElse(""), k -> new HashSet<>())
                    .add(segment.asText())) {
                return Optional.of("Segmentation ID '" + segment.asText() + "' for '" + port.asText() + "' is not unique");
            }
        }
        return Optional.empty();
    }

    private static Optional<String> text(JsonNode value) {
        return Optional.ofNullable(value).filter(JsonNode::isTextual).map(JsonNode::asText).filter(s -> !s.isEmpty());
    }

    private static String render(JsonNode value) {
        return value == null ? "None" : value.isTextual() ? value.asText() : value.toString();
    }
}
