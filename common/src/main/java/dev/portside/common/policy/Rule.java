package dev.portside.common.policy;

import java.util.List;
import java.util.Map;

/** A parsed oslo.policy check, evaluated against the caller's credentials and the target. */
sealed interface Rule {
    boolean allows(Map<String, String> target, Credentials credentials, Map<String, Rule> rules);

    record Always(boolean result) implements Rule {
        public boolean allows(Map<String, String> target, Credentials credentials, Map<String, Rule> rules) {
            return result;
        }
    }

    record Not(Rule rule) implements Rule {
        public boolean allows(Map<String, String> target, Credentials credentials, Map<String, Rule> rules) {
            return !rule.allows(target, credentials, rules);
        }
    }

    record And(List<Rule> rules) implements Rule {
        public boolean allows(Map<String, String> target, Credentials credentials, Map<String, Rule> named) {
            return rules.stream().allMatch(rule -> rule.allows(target, credentials, named));
        }
    }

    record Or(List<Rule> rules) implements Rule {
        public boolean allows(Map<String, String> target, Credentials credentials, Map<String, Rule> named) {
            return rules.stream().anyMatch(rule -> rule.allows(target, credentials, named));
        }
    }

    /** {@code rule:NAME}: another named rule; an unknown name denies, as in oslo.policy. */
    record Named(String name) implements Rule {
        public boolean allows(Map<String, String> target, Credentials credentials, Map<String, Rule> rules) {
            Rule rule = rules.get(name);
            return rule != null && rule.allows(target, credentials, rules);
        }
    }

    /** {@code role:NAME}: the caller holds the role on the token's scope (case-insensitive, as Keystone). */
    record Role(String role) implements Rule {
        public boolean allows(Map<String, String> target, Credentials credentials, Map<String, Rule> rules) {
            return credentials.roles().contains(role.toLowerCase(java.util.Locale.ROOT));
        }
    }

    /**
     * {@code key:value}: a credential (user_id, project_id, domain_id, ...) equals a literal or, written
     * {@code %(target.attr)s}, an attribute of the target. A quoted left side is a literal, as in
     * oslo.policy: {@code 'True':%(network.shared)s} holds when the target's network is shared.
     */
    record Generic(String credential, String match) implements Rule {
        public boolean allows(Map<String, String> target, Credentials credentials, Map<String, Rule> rules) {
            boolean literal = credential.length() >= 2 && credential.startsWith("'") && credential.endsWith("'");
            String have = literal ? credential.substring(1, credential.length() - 1) : credentials.values().get(credential);
            if (have == null) {
                return false;
            }
            if (match.startsWith("%(") && match.endsWith(")s")) {
                String want = target.get(match.substring(2, match.length() - 2));
                return have.equals(want);
            }
            return have.equalsIgnoreCase(match);
        }
    }
}
