package dev.vigil.core.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
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
    private final List<ConfigReader> children = new ArrayList<>();

    public ConfigReader(ConfigObject object, String path, Problems problems) {
        this(object, path, problems, new LinkedHashSet<>());
    }

    private ConfigReader(ConfigObject object, String path, Problems problems, Set<String> read) {
        this.object = object;
        this.path = path;
        this.problems = problems;
        this.read = read;
    }

    /**
     * A reader of this object with {@code defaults} beneath it. Keys read through it count as
     * read here, so {@link #finish()} on this reader still reports only what the operator wrote
     * and nobody asked for.
     */
    public ConfigReader withFallback(ConfigObject defaults) {
        if (defaults == null) {
            return this;
        }
        return new ConfigReader(object.withFallback(defaults), path, problems, read);
    }

    /** The object itself, for the loader's merging of defaults. */
    ConfigObject object() {
        return object;
    }

    /** The full key of {@code key} below this object, e.g. {@code vigil.cluster.servers[0].port}. */
    public String path(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    public String path() {
        return path;
    }

    public Problems problems() {
        return problems;
    }

    /** Where this object was written. */
    public ConfigOrigin origin() {
        return object.origin();
    }

    /** Where {@code key} was written, or where this object was when the key is missing. */
    public ConfigOrigin origin(String key) {
        ConfigValue v = object.get(key);
        return v != null ? v.origin() : object.origin();
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
        read.add(key);
        ConfigValue v = object.get(key);
        if (v == null || v.valueType() == ConfigValueType.NULL) {
            problems.add(object.origin(), path(key), "missing required key");
            return null;
        }
        for (ConfigValueType t : types) {
            if (v.valueType() == t) {
                return v;
            }
        }
        problems.add(v.origin(), path(key), "expected " + describe(types) + " but found "
                + v.valueType().name().toLowerCase(Locale.ROOT) + " " + v.render());
        return null;
    }

    private static String describe(ConfigValueType... types) {
        List<String> names = new ArrayList<>();
        for (ConfigValueType t : types) {
            names.add(switch (t) {
                case OBJECT -> "an object { ... }";
                case LIST -> "a list [ ... ]";
                case NUMBER -> "a number";
                case BOOLEAN -> "true or false";
                case STRING -> "a string";
                case NULL -> "null";
            });
        }
        return String.join(" or ", names);
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
        ConfigValue v = required(key, ConfigValueType.NUMBER, ConfigValueType.STRING);
        if (v == null) {
            return null;
        }
        long value;
        try {
            value = single(key).getLong(ConfigUtil.joinPath(key));
        } catch (com.typesafe.config.ConfigException e) {
            problems.add(v.origin(), path(key), "expected a whole number but found " + v.render());
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
            problems.add(v.origin(), path(key), "expected a number but found " + v.render());
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
            problems.add(v.origin(), path(key), "expected true or false but found " + v.render());
            return null;
        }
    }

    /** A duration such as {@code 500ms} or {@code 2s}; must lie within [min, max]. */
    public Duration duration(String key, Duration min, Duration max) {
        ConfigValue v = required(key, ConfigValueType.STRING, ConfigValueType.NUMBER);
        if (v == null) {
            return null;
        }
        Duration d;
        try {
            d = single(key).getDuration(ConfigUtil.joinPath(key));
        } catch (com.typesafe.config.ConfigException e) {
            problems.add(v.origin(), path(key), "expected a duration such as 500ms or 2s but found " + v.render());
            return null;
        }
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            problems.add(v.origin(), path(key), v.render() + " is out of range (" + human(min) + " to " + human(max) + ")");
            return null;
        }
        return d;
    }

    /** A size such as {@code 10MB}; must lie within [min, max] bytes. */
    public Long bytes(String key, long min, long max) {
        ConfigValue v = required(key, ConfigValueType.STRING, ConfigValueType.NUMBER);
        if (v == null) {
            return null;
        }
        long b;
        try {
            b = single(key).getBytes(ConfigUtil.joinPath(key));
        } catch (com.typesafe.config.ConfigException e) {
            problems.add(v.origin(), path(key), "expected a size such as 10MB but found " + v.render());
            return null;
        }
        if (b < min || b > max) {
            problems.add(v.origin(), path(key), v.render() + " is out of range (" + min + " to " + max + " bytes)");
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
                problems.add(item.origin(), path(key) + "[" + i + "]", "expected a string but found " + item.render());
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
        problem(key, "'" + s + "' is not one of: " + String.join(", ", accepted));
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
        ConfigReader child = new ConfigReader((ConfigObject) v, path(key), problems);
        children.add(child);
        return child;
    }

    /** A list of objects, each with its own reader named {@code key[i]}. */
    public List<ConfigReader> objectList(String key) {
        ConfigValue v = required(key, ConfigValueType.LIST);
        if (v == null) {
            return List.of();
        }
        List<ConfigReader> out = new ArrayList<>();
        int i = 0;
        for (ConfigValue item : (ConfigList) v) {
            String itemPath = path(key) + "[" + i + "]";
            if (item.valueType() == ConfigValueType.OBJECT) {
                ConfigReader child = new ConfigReader((ConfigObject) item, itemPath, problems);
                children.add(child);
                out.add(child);
            } else {
                problems.add(item.origin(), itemPath, "expected an object { ... } but found " + item.render());
            }
            i++;
        }
        return out;
    }

    /**
     * An object used as a map from names to whole numbers, e.g. {@code priorities { n1 = 1, n2 = 10 }};
     * returned in ascending order of value.
     */
    public Map<String, Integer> intMap(String key, int min, int max) {
        ConfigReader m = object(key);
        if (m == null) {
            return Map.of();
        }
        List<Map.Entry<String, Integer>> entries = new ArrayList<>();
        for (String name : new TreeSet<>(m.object.keySet())) {
            Integer value = m.integer(name, min, max);
            if (value != null) {
                entries.add(Map.entry(name, value));
            }
        }
        entries.sort(Map.Entry.<String, Integer>comparingByValue().thenComparing(Map.Entry.comparingByKey()));
        Map<String, Integer> out = new LinkedHashMap<>();
        entries.forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    /** The keys written in this object. */
    public Set<String> keys() {
        return new TreeSet<>(object.keySet());
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
                String knownList = hint.isEmpty() && !known.isEmpty() ? " (known keys: " + String.join(", ", known) + ")" : "";
                problems.add(object.get(key).origin(), path(key), "unknown key" + hint + knownList);
            }
        }
        children.forEach(ConfigReader::finish);
    }

    private Config single(String key) {
        return object.toConfig();
    }

    /** The closest candidate within an edit distance of a third of the length (at least 1), if any. */
    public static Optional<String> closest(String word, java.util.Collection<String> candidates) {
        int limit = Math.max(1, word.length() / 3);
        return candidates.stream()
                .map(c -> Map.entry(c, distance(word.toLowerCase(Locale.ROOT), c.toLowerCase(Locale.ROOT))))
                .filter(e -> e.getValue() <= limit)
                .min(Comparator.comparingInt(Map.Entry<String, Integer>::getValue).thenComparing(Map.Entry::getKey))
                .map(Map.Entry::getKey);
    }

    static int distance(String a, String b) {
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
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    private static String human(Duration d) {
        if (d.toMillis() % 1000 == 0) {
            return d.toSeconds() + "s";
        }
        return d.toMillis() + "ms";
    }
}
