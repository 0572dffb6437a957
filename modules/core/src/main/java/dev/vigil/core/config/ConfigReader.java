package dev.vigil.core.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads one HOCON object into typed values while validating it: every problem (missing key,
 * wrong type, value out of range) is recorded with file, line and full key instead of thrown,
 * and every key it was asked for is remembered, so that {@link #finish()} can report the keys
 * nobody asked for as unknown (with a "did you mean" for typos). Getters return {@code null}
 * (or an empty value) after recording a problem; callers build their records anyway and the
 * loader throws once, with every problem, at the end.
 */
public final class ConfigReader {
    private final ConfigObject object;
    private final String path;
    private final Problems problems;
    private final Set<String> read;
    /** Readers of nested objects, checked by {@link #finish()}; shared with the readers made by withFallback. */
    private final List<ConfigReader> children;
    /** The reader this object was found in, for locating problems about keys not written here. */
    private final ConfigReader parent;
    /** Keys written in the entry itself; the others come from defaults. */
    private final ConfigObject own;
    /** Full key of the defaults object beneath this one ({@code null}: none), to name inherited keys. */
    private final String defaultsPath;

    public ConfigReader(ConfigObject object, String path, Problems problems) {
        this(object, path, problems, new LinkedHashSet<>(), new ArrayList<>(), null, object, null);
    }

    private ConfigReader(ConfigObject object, String path, Problems problems, Set<String> read,
                         List<ConfigReader> children, ConfigReader parent, ConfigObject own, String defaultsPath) {
        this.object = object;
        this.children = children;
        this.path = path;
        this.problems = problems;
        this.read = read;
        this.parent = parent;
        this.own = own;
        this.defaultsPath = defaultsPath;
    }

    /**
     * A reader of this object with {@code defaults} beneath it. Keys read through it count as
     * read here, so {@link #finish()} on this reader still reports only what the operator wrote
     * and nobody asked for.
     */
    public ConfigReader withFallback(ConfigObject defaults) {
        return withFallback(defaults, null);
    }

    /**
     * As {@link #withFallback(ConfigObject)}; a problem with a value taken from {@code defaults}
     * names it by its key there ({@code defaultsPath.key}), where the operator has to fix it.
     */
    public ConfigReader withFallback(ConfigObject defaults, String defaultsPath) {
        if (defaults == null) {
            return this;
        }
        return new ConfigReader(object.withFallback(defaults), path, problems, read, children, parent, own,
                defaultsPath);
    }

    private ConfigReader child(ConfigObject value, String childPath) {
        ConfigReader child = new ConfigReader(value, childPath, problems, new LinkedHashSet<>(), new ArrayList<>(), this,
                value, null);
        children.add(child);
        return child;
    }

    /** The object itself, for the loader's merging of defaults. */
    ConfigObject object() {
        return object;
    }

    /**
     * The full key of {@code key} below this object, e.g. {@code vigil.cluster.servers[0].port};
     * for a value inherited from operator-written defaults, its key there.
     */
    public String path(String key) {
        if (defaultsPath != null && !own.containsKey(key) && object.containsKey(key)
                && !Problems.isDefault(object.get(key).origin())) {
            return defaultsPath + "." + key;
        }
        return path.isEmpty() ? key : path + "." + key;
    }

    public String path() {
        return path;
    }

    public Problems problems() {
        return problems;
    }

    /**
     * Where this object was written; when only the defaults hold it (the operator never wrote
     * it), where the nearest enclosing object was written ({@code null}: nowhere, i.e. the
     * problem belongs to the main file as a whole).
     */
    public ConfigOrigin origin() {
        if (!Problems.isDefault(own.origin())) {
            return own.origin();
        }
        return parent == null ? null : parent.origin();
    }

    /** Where {@code key} was written, or where this object was when the key is missing or a default. */
    public ConfigOrigin origin(String key) {
        ConfigValue v = object.get(key);
        return v != null && !Problems.isDefault(v.origin()) ? v.origin() : origin();
    }

    /** True when the operator wrote {@code key} (here or in operator-written defaults). */
    public boolean written(String key) {
        ConfigValue v = object.get(key);
        return v != null && !Problems.isDefault(v.origin());
    }

    public boolean has(String key) {
        read.add(key);
        ConfigValue v = object.get(key);
        return v != null && v.valueType() != ConfigValueType.NULL;
    }

    /** Records a problem about {@code key} of this object (a semantic check done by the caller). */
    public void problem(String key, String message) {
        problems.add(origin(key), key == null ? path : path(key), message);
    }

    private ConfigValue required(String key, ConfigValueType... types) {
        return required(key, describe(types[0]), types);
    }

    /** The value of {@code key} if it is there and of one of {@code types}; else a problem naming {@code expected}. */
    private ConfigValue required(String key, String expected, ConfigValueType... types) {
        read.add(key);
        ConfigValue v = object.get(key);
        if (v == null || v.valueType() == ConfigValueType.NULL) {
            problems.add(origin(), path(key), "missing required key");
            return null;
        }
        for (ConfigValueType t : types) {
            if (v.valueType() == t) {
                return v;
            }
        }
        problems.add(v.origin(), path(key), "expected " + expected + " but found " + found(v));
        return null;
    }

    /** What is expected, named by the first accepted type (the others are conversions HOCON allows). */
    private static String describe(ConfigValueType type) {
        return switch (type) {
            case OBJECT -> "an object { ... }";
            case LIST -> "a list [ ... ]";
            case NUMBER -> "a number";
            case BOOLEAN -> "true or false";
            case STRING, NULL -> "a string";
        };
    }

    /** A value as an operator wrote it, on one line: {@code "abc"}, {@code 5}, {@code a list [ ... ]}. */
    static String found(ConfigValue v) {
        return switch (v.valueType()) {
            case OBJECT -> "an object { ... }";
            case LIST -> "a list [ ... ]";
            default -> v.render(ConfigRenderOptions.concise());
        };
    }

    /** A scalar's text without quotes, for "5ms is out of range". */
    private static String plain(ConfigValue v) {
        return String.valueOf(v.unwrapped());
    }

    public String string(String key) {
        ConfigValue v = required(key, ConfigValueType.STRING, ConfigValueType.NUMBER, ConfigValueType.BOOLEAN);
        if (v == null) {
            return null;
        }
        String s = String.valueOf(v.unwrapped()).trim();
        if (s.isEmpty()) {
            problems.add(v.origin(), path(key), "must not be empty");
            return null;
        }
        return s;
    }

    /** A string that may be empty (free text such as an application info string). */
    public String text(String key) {
        ConfigValue v = required(key, ConfigValueType.STRING, ConfigValueType.NUMBER, ConfigValueType.BOOLEAN);
        return v == null ? null : String.valueOf(v.unwrapped());
    }

    public Optional<String> optionalString(String key) {
        return has(key) ? Optional.ofNullable(string(key)) : Optional.empty();
    }

    public Integer integer(String key, int min, int max) {
        ConfigValue v = required(key, "a whole number", ConfigValueType.NUMBER, ConfigValueType.STRING);
        if (v == null) {
            return null;
        }
        long value;
        try {
            Number n = single(key).getNumber(ConfigUtil.joinPath(key));
            if (n.doubleValue() != Math.rint(n.doubleValue())) {
                throw new NumberFormatException(n.toString());
            }
            value = n.longValue();
        } catch (com.typesafe.config.ConfigException | NumberFormatException e) {
            problems.add(v.origin(), path(key), "expected a whole number but found " + found(v));
            return null;
        }
        if (value < min || value > max) {
            problems.add(v.origin(), path(key), value + " is out of range (" + min + " to " + max + ")");
            return null;
        }
        return (int) value;
    }

    public Double number(String key, double min, double max) {
        ConfigValue v = required(key, ConfigValueType.NUMBER, ConfigValueType.STRING);
        if (v == null) {
            return null;
        }
        double value;
        try {
            value = single(key).getDouble(ConfigUtil.joinPath(key));
        } catch (com.typesafe.config.ConfigException e) {
            problems.add(v.origin(), path(key), "expected a number but found " + found(v));
            return null;
        }
        if (value < min || value > max) {
            problems.add(v.origin(), path(key), value + " is out of range (" + min + " to " + max + ")");
            return null;
        }
        return value;
    }

    public Boolean bool(String key) {
        ConfigValue v = required(key, ConfigValueType.BOOLEAN, ConfigValueType.STRING);
        if (v == null) {
            return null;
        }
        try {
            return single(key).getBoolean(ConfigUtil.joinPath(key));
        } catch (com.typesafe.config.ConfigException e) {
            problems.add(v.origin(), path(key), "expected true or false but found " + found(v));
            return null;
        }
    }

    /** A duration such as {@code 500ms} or {@code 2s}; must lie within [min, max]. */
    public Duration duration(String key, Duration min, Duration max) {
        ConfigValue v = required(key, "a duration such as 500ms or 2s", ConfigValueType.STRING, ConfigValueType.NUMBER);
        if (v == null) {
            return null;
        }
        Duration d;
        try {
            d = single(key).getDuration(ConfigUtil.joinPath(key));
        } catch (com.typesafe.config.ConfigException e) {
            problems.add(v.origin(), path(key), "expected a duration such as 500ms or 2s but found " + found(v));
            return null;
        }
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            problems.add(v.origin(), path(key), plain(v) + " is out of range (" + human(min) + " to "
                    + human(max) + ")");
            return null;
        }
        return d;
    }

    /** A size such as {@code 10MB}; must lie within [min, max] bytes. */
    public Long bytes(String key, long min, long max) {
        ConfigValue v = required(key, "a size such as 10MB", ConfigValueType.STRING, ConfigValueType.NUMBER);
        if (v == null) {
            return null;
        }
        long b;
        try {
            b = single(key).getBytes(ConfigUtil.joinPath(key));
        } catch (com.typesafe.config.ConfigException e) {
            problems.add(v.origin(), path(key), "expected a size such as 10MB but found " + found(v));
            return null;
        }
        if (b < min || b > max) {
            problems.add(v.origin(), path(key), plain(v) + " is out of range (" + size(min) + " to " + size(max) + ")");
            return null;
        }
        return b;
    }

    public List<String> stringList(String key) {
        ConfigValue v = required(key, ConfigValueType.LIST);
        if (v == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        int i = 0;
        for (ConfigValue item : (ConfigList) v) {
            if (item.valueType() == ConfigValueType.STRING || item.valueType() == ConfigValueType.NUMBER) {
                String s = String.valueOf(item.unwrapped()).trim();
                if (s.isEmpty()) {
                    problems.add(item.origin(), path(key) + "[" + i + "]", "must not be empty");
                } else {
                    out.add(s);
                }
            } else {
                problems.add(item.origin(), path(key) + "[" + i + "]", "expected a string but found " + found(item));
            }
            i++;
        }
        return out;
    }

    /**
     * An enum value written in lower case with hyphens ({@code do-not-switchover} for
     * DO_NOT_SWITCHOVER); the error lists the accepted spellings.
     */
    public <E extends Enum<E>> E enumValue(String key, Class<E> type) {
        String s = string(key);
        if (s == null) {
            return null;
        }
        for (E e : type.getEnumConstants()) {
            if (spelling(e).equals(s.toLowerCase(Locale.ROOT))) {
                return e;
            }
        }
        List<String> accepted = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            accepted.add(spelling(e));
        }
        String hint = closest(s, accepted).map(c -> " (did you mean '" + c + "'?)").orElse("");
        problem(key, "'" + s + "' is not one of: " + String.join(", ", accepted) + hint);
        return null;
    }

    /** How an enum constant is written in the configuration. */
    public static String spelling(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** A nested object; {@code null} (with a problem recorded) when missing or not an object. */
    public ConfigReader object(String key) {
        ConfigValue v = required(key, ConfigValueType.OBJECT);
        if (v == null) {
            return null;
        }
        return child((ConfigObject) v, path(key));
    }

    /** A list of objects, each with its own reader named {@code key[i]}. */
    public List<ConfigReader> objectList(String key) {
        return objectList(key, null);
    }

    /**
     * A list of objects, each with its own reader named {@code key[i]}; an empty list is a
     * problem reading {@code whenEmpty} (unless that is {@code null}).
     */
    public List<ConfigReader> objectList(String key, String whenEmpty) {
        ConfigValue v = required(key, ConfigValueType.LIST);
        if (v == null) {
            return List.of();
        }
        if (whenEmpty != null && ((ConfigList) v).isEmpty()) {
            problems.add(origin(key), path(key), whenEmpty);
        }
        List<ConfigReader> out = new ArrayList<>();
        int i = 0;
        for (ConfigValue item : (ConfigList) v) {
            String itemPath = path(key) + "[" + i + "]";
            if (item.valueType() == ConfigValueType.OBJECT) {
                out.add(child((ConfigObject) item, itemPath));
            } else {
                problems.add(item.origin(), itemPath, "expected an object { ... } but found " + found(item));
            }
            i++;
        }
        return out;
    }

    /** The keys written in this object. */
    public Set<String> keys() {
        return new TreeSet<>(object.keySet());
    }

    /** The keys asked for so far: for a reader that read everything, the keys it knows. */
    Set<String> readKeys() {
        return new TreeSet<>(read);
    }

    /**
     * Counts every key of this object as read, so {@link #finish()} stays quiet about it: for an
     * entry whose meaning is unknown (an unknown resource type), where "unknown key" would only
     * be noise beside the real problem.
     */
    public void ignoreUnread() {
        read.addAll(object.keySet());
    }

    /**
     * Reports every key of this object and of its child readers that nobody asked for, as an
     * unknown key with the closest known spelling when there is one.
     */
    public void finish() {
        for (String key : new TreeSet<>(object.keySet())) {
            if (!read.contains(key)) {
                String hint = closest(key, read).map(k -> " (did you mean '" + k + "'?)").orElse("");
                List<String> known = new ArrayList<>(new TreeSet<>(read));
                String knownList = hint.isEmpty() && !known.isEmpty()
                        ? " (known keys: " + String.join(", ", known) + ")" : "";
                problems.add(object.get(key).origin(), path(key), "unknown key" + hint + knownList);
            }
        }
        children.forEach(ConfigReader::finish);
    }

    private Config single(String key) {
        return object.toConfig();
    }

    /**
     * The hint after an unknown name: {@code (did you mean 'n1'? known: n1, n2)}, the question
     * only when a candidate is close to {@code word}; {@code label} names the list ("known").
     */
    public static String hint(String word, String label, Collection<String> candidates) {
        String question = closest(word, candidates).map(c -> "did you mean '" + c + "'? ").orElse("");
        return "(" + question + label + ": " + String.join(", ", candidates) + ")";
    }

    /**
     * The closest candidate within an edit distance of a third of the length (at least 1), if
     * any; swapping two neighbouring letters counts as one edit ("prot" is one edit from "port").
     */
    public static Optional<String> closest(String word, Collection<String> candidates) {
        int limit = Math.max(1, word.length() / 3);
        return candidates.stream()
                .map(c -> Map.entry(c, distance(word.toLowerCase(Locale.ROOT), c.toLowerCase(Locale.ROOT))))
                .filter(e -> e.getValue() <= limit)
                .min(Comparator.comparingInt(Map.Entry<String, Integer>::getValue).thenComparing(Map.Entry::getKey))
                .map(Map.Entry::getKey);
    }

    /** Optimal-string-alignment distance: insertions, deletions, substitutions and adjacent swaps. */
    static int distance(String a, String b) {
        int[] before = new int[b.length() + 1];
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    cur[j] = Math.min(cur[j], before[j - 2] + 1);
                }
            }
            int[] t = before;
            before = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    /** A byte count as an operator writes it: 4096 bytes, 10MiB, 1TiB. */
    static String size(long bytes) {
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        String out = bytes + " bytes";
        long v = bytes;
        for (String unit : units) {
            if (v == 0 || v % 1024 != 0) {
                break;
            }
            v /= 1024;
            out = v + unit;
        }
        return out;
    }

    /** A duration as an operator writes it: 200ms, 2s, 10m, 24h. */
    static String human(Duration d) {
        if (d.toMillis() % 1000 != 0) {
            return d.toMillis() + "ms";
        }
        long s = d.toSeconds();
        if (s > 0 && s % 3600 == 0) {
            return s / 3600 + "h";
        }
        return s % 60 == 0 && s > 0 ? d.toMinutes() + "m" : s + "s";
    }
}
