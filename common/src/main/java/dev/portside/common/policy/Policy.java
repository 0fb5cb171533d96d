package dev.portside.common.policy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.portside.common.auth.AuthContext;
import dev.portside.common.http.ApiException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Role-based access rules in oslo.policy's language. Each service registers its defaults (which
 * mirror OpenStack's); an operator's policy file (YAML or JSON, as oslo.policy reads) overrides any
 * of them by name.
 */
public final class Policy {
    private final Map<String, Rule> rules;

    private Policy(Map<String, Rule> rules) {
        this.rules = Map.copyOf(rules);
    }

    /** Combines defaults and overrides; a rule that does not parse is a start-up error naming it. */
    public static Policy of(Map<String, String> defaults, Map<String, String> overrides) {
        Map<String, String> texts = new LinkedHashMap<>(defaults);
        texts.putAll(overrides);
        Map<String, Rule> rules = new HashMap<>();
        texts.forEach((name, text) -> {
            try {
                rules.put(name, RuleParser.parse(text));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("policy rule '" + name + "' does not parse: " + e.getMessage(), e);
            }
        });
        return new Policy(rules);
    }

    /** Reads an operator's overrides: a map from rule name to rule text. */
    public static Map<String, String> readFile(Path file) throws IOException {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        Map<String, String> overrides = yaml.readValue(Files.readAllBytes(file), new TypeReference<>() {
        });
        return overrides == null ? Map.of() : overrides;
    }

    public boolean allows(String action, AuthContext caller, Map<String, String> target) {
        Rule rule = rules.get(action);
        if (rule == null) {
            throw new IllegalStateException("no policy rule for " + action);
        }
        return rule.allows(target, Credentials.of(caller), rules);
    }

    /** Refuses with 403 in the service's error format unless the rule allows the caller. */
    public void enforce(String action, AuthContext caller, Map<String, String> target) {
        if (!allows(action, caller, target)) {
            throw ApiException.forbidden("You are not authorized to perform the requested action: " + action + ".");
        }
    }
}
