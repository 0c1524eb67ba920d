package io.orchestr.shared.work;

import com.fasterxml.jackson.databind.JsonNode;
import io.orchestr.shared.Names;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns an {@code exec} job's {@code params} into its {@link Work}, or refuses them with a
 * {@link WorkSpecException} naming the first field at fault. Stateless and thread-safe.
 *
 * <p>Two forms are accepted, and may be mixed in one tree (each item is read by its own keys):
 * <ul>
 *   <li>Orchestr's: {@code {"command": [argv...] | "shell string", "env", "cwd", "timeout", "killGrace", "role"}},
 *       {@code {"sequence": [work...], "role"}}, {@code {"parallel": [work...], "continueOnError", "role"}};</li>
 *   <li>jobsch's: {@code {"type": "execute", "command", "role", "timeout"}} and
 *       {@code {"type": "sequence_group" | "parallel_group", "work": [work...], "role"}}; its items take the other
 *       form's optional keys too ({@code env}, {@code cwd}, {@code killGrace}, {@code continueOnError}).</li>
 * </ul>
 * A duration ({@code timeout}, {@code killGrace}) is an ISO-8601 text such as {@code "PT10M"} or a number of
 * seconds, as jobsch writes it. A key whose value is JSON {@code null} counts as absent.
 */
public final class WorkParser {
    /** The deepest nesting of work items: the params are level 1. */
    public static final int MAX_DEPTH = 10;

    private static final String ROOT = "params";
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    /** A secret's name: a file name in the node's secrets folder, with no way out of it. */
    private static final Pattern SECRET_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
    private static final Set<String> COMMAND_KEYS = Set.of("command", "env", "cwd", "timeout", "killGrace", "role");
    private static final Set<String> SEQUENCE_KEYS = Set.of("sequence", "role");
    private static final Set<String> PARALLEL_KEYS = Set.of("parallel", "continueOnError", "role");
    private static final Set<String> EXECUTE_KEYS =
            Set.of("type", "command", "env", "cwd", "timeout", "killGrace", "role");
    private static final Set<String> SEQUENCE_GROUP_KEYS = Set.of("type", "work", "role");
    private static final Set<String> PARALLEL_GROUP_KEYS = Set.of("type", "work", "continueOnError", "role");

    private WorkParser() {
    }

    /**
     * The work {@code params} describe.
     *
     * @throws WorkSpecException naming the first field at fault, as a path from {@code params}
     */
    public static Work parse(JsonNode params) {
        return item(params, ROOT, 1);
    }

    /**
     * Where each role is named in {@code params}, which {@link #parse} accepted: per role the path of its first
     * {@code role} field (such as {@code params.sequence[1].role}), in the order they appear; for naming the field
     * when a role is refused for another reason than its form (no node serves it).
     */
    public static Map<String, String> roleFields(JsonNode params) {
        Map<String, String> fields = new LinkedHashMap<>();
        collectRoleFields(params, ROOT, fields);
        return fields;
    }

    private static void collectRoleFields(JsonNode node, String path, Map<String, String> fields) {
        JsonNode role = node.get("role");
        if (role != null && role.isTextual()) {
            fields.putIfAbsent(role.textValue(), path + ".role");
        }
        for (String stepsKey : List.of("sequence", "parallel", "work")) {
            JsonNode steps = node.get(stepsKey);
            for (int i = 0; steps != null && steps.isArray() && i < steps.size(); i++) {
                collectRoleFields(steps.get(i), path + "." + stepsKey + "[" + i + "]", fields);
            }
        }
    }

    private static Work item(JsonNode node, String path, int depth) {
        if (depth > MAX_DEPTH) {
            throw new WorkSpecException(path, "work is nested deeper than " + MAX_DEPTH + " levels");
        }
        if (node == null || !node.isObject()) {
            throw new WorkSpecException(path, "must be an object: a command, a sequence or a parallel group");
        }
        if (node.has("type")) {
            return jobschItem(node, path, depth);
        }
        List<String> kinds = new ArrayList<>();
        for (String kind : List.of("command", "sequence", "parallel")) {
            if (present(node, kind)) {
                kinds.add(kind);
            }
        }
        if (kinds.isEmpty()) {
            throw new WorkSpecException(path + ".command",
                    "no command: give \"command\", \"sequence\" or \"parallel\"");
        }
        if (kinds.size() > 1) {
            throw new WorkSpecException(path + "." + kinds.get(1), "give only one of " + kinds);
        }
        return switch (kinds.get(0)) {
            case "command" -> command(node, path, COMMAND_KEYS);
            case "sequence" -> group(node, path, depth, "sequence", Group.Kind.SEQUENCE, SEQUENCE_KEYS);
            default -> group(node, path, depth, "parallel", Group.Kind.PARALLEL, PARALLEL_KEYS);
        };
    }

    private static Work jobschItem(JsonNode node, String path, int depth) {
        JsonNode type = node.get("type");
        String typePath = path + ".type";
        if (!type.isTextual()) {
            throw new WorkSpecException(typePath, "must be \"execute\", \"sequence_group\" or \"parallel_group\"");
        }
        return switch (type.textValue()) {
            case "execute" -> {
                if (!present(node, "command")) {
                    throw new WorkSpecException(path + ".command", "no command: an execute item needs one");
                }
                yield command(node, path, EXECUTE_KEYS);
            }
            case "sequence_group" -> group(node, path, depth, "work", Group.Kind.SEQUENCE, SEQUENCE_GROUP_KEYS);
            case "parallel_group" -> group(node, path, depth, "work", Group.Kind.PARALLEL, PARALLEL_GROUP_KEYS);
            default -> throw new WorkSpecException(typePath, "unknown type '" + type.textValue()
                    + "': use \"execute\", \"sequence_group\" or \"parallel_group\"");
        };
    }

    private static Command command(JsonNode node, String path, Set<String> keys) {
        checkKeys(node, path, keys);
        JsonNode command = node.get("command");
        String commandPath = path + ".command";
        List<String> argv = null;
        String shell = null;
        if (command.isTextual()) {
            if (command.textValue().isBlank()) {
                throw new WorkSpecException(commandPath, "no command: the shell text is blank");
            }
            shell = command.textValue();
        } else if (command.isArray()) {
            argv = argv(command, commandPath);
        } else {
            throw new WorkSpecException(commandPath, "must be an argv array of strings or a shell string");
        }
        Duration timeout = duration(node, path, "timeout");
        if (timeout != null && !timeout.isPositive()) {
            throw new WorkSpecException(path + ".timeout", "must be positive");
        }
        Duration killGrace = duration(node, path, "killGrace");
        if (killGrace != null && killGrace.isNegative()) {
            throw new WorkSpecException(path + ".killGrace", "must not be negative");
        }
        Map<String, String> env = new LinkedHashMap<>();
        Map<String, String> secretEnv = new LinkedHashMap<>();
        env(node, path, env, secretEnv);
        return new Command(argv, shell, env, text(node, path, "cwd"), timeout, killGrace, role(node, path),
                secretEnv);
    }

    private static List<String> argv(JsonNode command, String path) {
        if (command.isEmpty()) {
            throw new WorkSpecException(path, "no command: the argv is empty");
        }
        List<String> argv = new ArrayList<>(command.size());
        for (int i = 0; i < command.size(); i++) {
            JsonNode arg = command.get(i);
            if (!arg.isTextual()) {
                throw new WorkSpecException(path + "[" + i + "]", "must be a string");
            }
            argv.add(arg.textValue());
        }
        if (argv.get(0).isBlank()) {
            throw new WorkSpecException(path + "[0]", "the program is blank");
        }
        return argv;
    }

    private static Group group(JsonNode node, String path, int depth, String stepsKey, Group.Kind kind,
                               Set<String> keys) {
        checkKeys(node, path, keys);
        String stepsPath = path + "." + stepsKey;
        JsonNode steps = node.get(stepsKey);
        if (steps == null || steps.isNull()) {
            throw new WorkSpecException(stepsPath, "a group needs its steps");
        }
        if (!steps.isArray()) {
            throw new WorkSpecException(stepsPath, "must be an array of work items");
        }
        if (steps.isEmpty()) {
            throw new WorkSpecException(stepsPath, "a group needs at least one step");
        }
        List<Work> children = new ArrayList<>(steps.size());
        for (int i = 0; i < steps.size(); i++) {
            children.add(item(steps.get(i), stepsPath + "[" + i + "]", depth + 1));
        }
        boolean continueOnError = false;
        if (present(node, "continueOnError")) {
            JsonNode value = node.get("continueOnError");
            if (!value.isBoolean()) {
                throw new WorkSpecException(path + ".continueOnError", "must be true or false");
            }
            continueOnError = value.booleanValue();
        }
        return new Group(kind, children, continueOnError, role(node, path));
    }

    private static void checkKeys(JsonNode node, String path, Set<String> allowed) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw new WorkSpecException(path + "." + name, "unknown key; this item takes " + allowed);
            }
        }
    }

    /**
     * Reads {@code env} into the variables with values and those that name a secret the node holds
     * ({@code {"secret": "name"}}), so that the value itself never is in the params.
     */
    private static void env(JsonNode node, String path, Map<String, String> variables, Map<String, String> secrets) {
        if (!present(node, "env")) {
            return;
        }
        JsonNode env = node.get("env");
        String envPath = path + ".env";
        if (!env.isObject()) {
            throw new WorkSpecException(envPath, "must be an object of names to string values");
        }
        for (Iterator<Map.Entry<String, JsonNode>> fields = env.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            String fieldPath = envPath + "." + field.getKey();
            if (!ENV_NAME.matcher(field.getKey()).matches()) {
                throw new WorkSpecException(fieldPath, "not a variable name: use [A-Za-z_][A-Za-z0-9_]*");
            }
            JsonNode value = field.getValue();
            if (value.isTextual()) {
                variables.put(field.getKey(), value.textValue());
            } else if (value.isObject() && value.size() == 1 && value.path("secret").isTextual()
                    && SECRET_NAME.matcher(value.path("secret").textValue()).matches()) {
                secrets.put(field.getKey(), value.path("secret").textValue());
            } else {
                throw new WorkSpecException(fieldPath, "must be a string, or {\"secret\": \"name\"} naming a"
                        + " secret the nodes hold (a name of " + SECRET_NAME.pattern() + ")");
            }
        }
    }

    private static String role(JsonNode node, String path) {
        String role = text(node, path, "role");
        if (role != null && !Names.isValidRole(role)) {
            throw new WorkSpecException(path + ".role", "invalid role: use " + Names.ROLE_RULE);
        }
        return role;
    }

    private static String text(JsonNode node, String path, String key) {
        if (!present(node, key)) {
            return null;
        }
        JsonNode value = node.get(key);
        if (!value.isTextual() || value.textValue().isBlank()) {
            throw new WorkSpecException(path + "." + key, "must be a non-blank string");
        }
        return value.textValue();
    }

    private static Duration duration(JsonNode node, String path, String key) {
        if (!present(node, key)) {
            return null;
        }
        Duration duration = duration(node.get(key));
        if (duration == null) {
            throw new WorkSpecException(path + "." + key,
                    "must be an ISO-8601 duration such as \"PT10M\" or a number of seconds");
        }
        return duration;
    }

    /** The duration {@code value} gives, or null when it gives none. */
    private static Duration duration(JsonNode value) {
        try {
            if (value.isNumber()) {
                BigDecimal seconds = value.decimalValue();
                return Duration.ofSeconds(seconds.setScale(0, RoundingMode.DOWN).longValueExact(),
                        seconds.remainder(BigDecimal.ONE).movePointRight(9).longValue());
            }
            return value.isTextual() ? Duration.parse(value.textValue()) : null;
        } catch (DateTimeParseException | ArithmeticException e) {
            return null;
        }
    }

    private static boolean present(JsonNode node, String key) {
        JsonNode value = node.get(key);
        return value != null && !value.isNull();
    }
}
