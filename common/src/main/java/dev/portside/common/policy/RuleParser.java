package dev.portside.common.policy;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses oslo.policy's rule language: {@code @}, {@code !}, {@code rule:}, {@code role:}, generic
 * {@code key:value} checks, {@code and}, {@code or}, {@code not} and parentheses. An empty rule allows
 * everyone, as in oslo.policy.
 */
final class RuleParser {
    private final List<String> tokens;
    private int position;

    private RuleParser(List<String> tokens) {
        this.tokens = tokens;
    }

    static Rule parse(String text) {
        if (text == null || text.isBlank()) {
            return new Rule.Always(true);
        }
        RuleParser parser = new RuleParser(tokenize(text));
        Rule rule = parser.or();
        if (parser.position != parser.tokens.size()) {
            throw new IllegalArgumentException("unexpected '" + parser.tokens.get(parser.position) + "' in rule: " + text);
        }
        return rule;
    }

    private static List<String> tokenize(String text) {
        List<String> tokens = new ArrayList<>();
        for (String word : text.trim().split("\\s+")) {
            int start = 0;
            int end = word.length();
            while (start < end && word.charAt(start) == '(') {
                tokens.add("(");
                start++;
            }
            int closing = 0;
            while (end > start && word.charAt(end - 1) == ')' && !word.substring(start, end).endsWith(")s")) {
                closing++;
                end--;
            }
            if (start < end) {
                tokens.add(word.substring(start, end));
            }
            for (int i = 0; i < closing; i++) {
                tokens.add(")");
            }
        }
        return tokens;
    }

    private Rule or() {
        List<Rule> alternatives = new ArrayList<>(List.of(and()));
        while (peek("or")) {
            position++;
            alternatives.add(and());
        }
        return alternatives.size() == 1 ? alternatives.getFirst() : new Rule.Or(List.copyOf(alternatives));
    }

    private Rule and() {
        List<Rule> all = new ArrayList<>(List.of(not()));
        while (peek("and")) {
            position++;
            all.add(not());
        }
        return all.size() == 1 ? all.getFirst() : new Rule.And(List.copyOf(all));
    }

    private Rule not() {
        if (peek("not")) {
            position++;
            return new Rule.Not(not());
        }
        return atom();
    }

    private Rule atom() {
        if (position >= tokens.size()) {
            throw new IllegalArgumentException("rule ends early");
        }
        String token = tokens.get(position++);
        if (token.equals("(")) {
            Rule inner = or();
            if (!peek(")")) {
                throw new IllegalArgumentException("missing ')'");
            }
            position++;
            return inner;
        }
        if (token.equals("@")) {
            return new Rule.Always(true);
        }
        if (token.equals("!")) {
            return new Rule.Always(false);
        }
        int colon = token.indexOf(':');
        if (colon <= 0 || colon == token.length() - 1) {
            throw new IllegalArgumentException("not a check: '" + token + "'");
        }
        String kind = token.substring(0, colon);
        String value = token.substring(colon + 1);
        return switch (kind) {
            case "rule" -> new Rule.Named(value);
            case "role" -> new Rule.Role(value);
            default -> new Rule.Generic(kind, value);
        };
    }

    private boolean peek(String word) {
        return position < tokens.size() && tokens.get(position).equalsIgnoreCase(word);
    }
}
