package dev.vigil.core.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Loads and validates a server's configuration: the main file, then every {@code *.conf} of the
 * {@code conf.d/} directory beside it in name order (later files override earlier ones, except
 * {@code vigil.hierarchies}, whose entries are concatenated), over the defaults of
 * {@code reference.conf}; {@code ${NAME}} takes an environment variable when no setting has that
 * name. Either returns a complete {@link VigilConfig} or throws a {@link ConfigException}
 * listing every problem found.
 */
public final class ConfigLoader {
    /** Where the daemon and the commands look when no file is given. */
    public static final Path DEFAULT_FILE = Path.of("/etc/vigil/vigil.conf");

    private static final ConfigParseOptions PARSE = ConfigParseOptions.defaults()
            .setSyntax(ConfigSyntax.CONF).setAllowMissing(false);
    private static final Pattern SUBSTITUTION = Pattern.compile("\\$\\{\\??([^}]+)}");

    private ConfigLoader() {
    }

    public static VigilConfig load(Path mainFile) throws ConfigException {
        Problems problems = new Problems(mainFile.toString());
        List<Path> sources = new ArrayList<>();
        sources.add(mainFile);
        sources.addAll(confD(mainFile, problems));

        List<Config> parsed = new ArrayList<>();
        for (Path p : sources) {
            Config c = parse(p, problems);
            if (c != null) {
                parsed.add(c);
            }
        }
        problems.throwIfAny();

        Config merged = ConfigFactory.empty();
        List<ConfigValue> hierarchies = new ArrayList<>();
        for (Config c : parsed) {
            merged = c.withFallback(merged);
            ConfigValue vigil = c.root().get("vigil");
            if (vigil != null && type(vigil) == ConfigValueType.OBJECT) {
                hierarchies.addAll(hierarchies((ConfigObject) vigil, problems));
            }
        }
        for (String top : new TreeSet<>(merged.root().keySet())) {
            if (!top.equals("vigil")) {
                problems.add(merged.root().get(top).origin(), top,
                        "unknown key: every setting goes inside vigil { ... }");
            }
        }
        ConfigValue vigil = merged.root().get("vigil");
        if (vigil == null) {
            problems.add(new ConfigProblem(mainFile.toString(), -1, "vigil",
                    "missing: write the settings as vigil { server = ..., cluster { servers = [ ... ] } }"));
            throw new ConfigException(problems.all());
        }
        if (type(vigil) != ConfigValueType.OBJECT) {
            problems.add(vigil.origin(), "vigil", "expected an object { ... } but found " + ConfigReader.found(vigil));
            throw new ConfigException(problems.all());
        }
        merged = merged.withValue("vigil.hierarchies", ConfigValueFactory.fromIterable(hierarchies));

        Config reference = ConfigFactory.parseResources(ConfigLoader.class, "/reference.conf").withOnlyPath("vigil");
        Config resolved;
        try {
            resolved = merged.withFallback(reference).resolve(ConfigResolveOptions.defaults()
                    .setUseSystemEnvironment(true).setAllowUnresolved(true));
        } catch (com.typesafe.config.ConfigException e) {
            problems.add(e.origin(), keyAt(merged.root().get("vigil"), "vigil", e.origin()),
                    "cannot be used in a substitution ${...}: " + withoutPlace(e));
            throw new ConfigException(problems.all());
        }
        if (unresolved(resolved.root().get("vigil"), problems)) {
            // Values still holding ${...} cannot be read; what else is wrong shows once they are set.
            throw new ConfigException(problems.all());
        }

        VigilConfig config = new ConfigValidator(problems, reference.getObject("vigil"))
                .read(resolved.getObject("vigil"), List.copyOf(sources));
        problems.throwIfAny();
        return config;
    }

    /**
     * The hierarchy entries of one file. Each file writes {@code hierarchies = [ ... ]}; the
     * loader concatenates them, so {@code +=} or a substitution (which would refer to the
     * other files' lists) is refused.
     */
    private static List<ConfigValue> hierarchies(ConfigObject vigil, Problems problems) {
        ConfigValue v = vigil.get("hierarchies");
        if (v == null) {
            return List.of();
        }
        ConfigValueType t = type(v);
        if (t == ConfigValueType.LIST) {
            return (ConfigList) v;
        }
        if (t == null) {
            problems.add(v.origin(), "vigil.hierarchies", "write hierarchies = [ ... ] without += or ${...}"
                    + " (the entries of every file are concatenated)");
        } else {
            problems.add(v.origin(), "vigil.hierarchies", "expected a list [ ... ] of hierarchies but found "
                    + ConfigReader.found(v));
        }
        return List.of();
    }

    /** The key of the value written at {@code origin} (below {@code v}, named {@code key}), if any. */
    private static String keyAt(ConfigValue v, String key, com.typesafe.config.ConfigOrigin origin) {
        if (origin == null) {
            return null;
        }
        if (v.origin().description().equals(origin.description())) {
            return key;
        }
        if (type(v) == ConfigValueType.OBJECT) {
            ConfigObject o = (ConfigObject) v;
            for (String k : new TreeSet<>(o.keySet())) {
                String found = keyAt(o.get(k), key + "." + k, origin);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    /** The type of {@code v}, or {@code null} while it holds an unresolved substitution. */
    private static ConfigValueType type(ConfigValue v) {
        try {
            return v.valueType();
        } catch (com.typesafe.config.ConfigException.NotResolved e) {
            return null;
        }
    }

    /**
     * Reports every value whose {@code ${...}} names neither a setting nor an environment
     * variable; true when there was one. A default left unresolved only because of the
     * operator's (reference.conf's {@code ${vigil.state-dir}}) is not reported separately.
     */
    private static boolean unresolved(ConfigValue vigil, Problems problems) {
        Map<String, ConfigValue> found = new LinkedHashMap<>();
        collectUnresolved(vigil, "vigil", found);
        Map<String, ConfigValue> written = new LinkedHashMap<>(found);
        written.values().removeIf(v -> Problems.isDefault(v.origin()));
        (written.isEmpty() ? found : written).forEach((key, v) -> {
            Set<String> names = new LinkedHashSet<>();
            Matcher m = SUBSTITUTION.matcher(v.render());
            while (m.find()) {
                names.add(m.group(1).trim());
            }
            String name = names.stream().filter(n -> System.getenv(n) == null).findFirst()
                    .orElse(String.join(", ", names));
            problems.add(v.origin(), key, "${" + name + "} is not set: no setting and no environment variable "
                    + name + " (write ${?" + name + "} to keep the default when it is unset)");
        });
        return !found.isEmpty();
    }

    private static void collectUnresolved(ConfigValue v, String key, Map<String, ConfigValue> found) {
        ConfigValueType t = type(v);
        if (t == ConfigValueType.OBJECT) {
            ConfigObject o = (ConfigObject) v;
            for (String k : new TreeSet<>(o.keySet())) {
                collectUnresolved(o.get(k), key + "." + k, found);
            }
        } else if (t == ConfigValueType.LIST) {
            int i = 0;
            for (ConfigValue item : (ConfigList) v) {
                collectUnresolved(item, key + "[" + i++ + "]", found);
            }
        } else if (t == null) {
            found.put(key, v);
        }
    }

    private static List<Path> confD(Path mainFile, Problems problems) {
        Path dir = mainFile.resolveSibling("conf.d");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> {
                String name = p.getFileName().toString();
                return name.endsWith(".conf") && !name.startsWith(".") && Files.isRegularFile(p);
            }).sorted().toList();
        } catch (IOException e) {
            problems.add(new ConfigProblem(dir.toString(), -1, null, "cannot list directory: " + e.getMessage()));
            return List.of();
        }
    }

    private static Config parse(Path p, Problems problems) {
        if (!Files.isRegularFile(p)) {
            problems.add(new ConfigProblem(p.toString(), -1, null,
                    Files.exists(p) ? "not a regular file" : "file not found"));
            return null;
        }
        if (!Files.isReadable(p)) {
            problems.add(new ConfigProblem(p.toString(), -1, null, "file not readable (permission denied)"));
            return null;
        }
        try {
            return ConfigFactory.parseFile(p.toFile(), PARSE);
        } catch (com.typesafe.config.ConfigException.IO e) {
            problems.add(new ConfigProblem(p.toString(), -1, null, "cannot read file: " + withoutPlace(e)));
            return null;
        } catch (com.typesafe.config.ConfigException e) {
            if (e.origin() != null) {
                problems.add(e.origin(), null, "syntax error: " + syntaxMessage(e));
            } else {
                problems.add(new ConfigProblem(p.toString(), -1, null, "syntax error: " + syntaxMessage(e)));
            }
            return null;
        }
    }

    /** Typesafe's parse message, minus advice that does not apply to a Vigil file. */
    private static String syntaxMessage(com.typesafe.config.ConfigException e) {
        String msg = withoutPlace(e);
        if (msg.startsWith("expecting a close parentheses ')' here, not: end of file")) {
            return "the file ends before every { is closed by a }";
        }
        return msg.replace(", or you may be able to rename the file .properties rather than .conf", "");
    }

    /** Typesafe's message without its "file: line: " prefix; the problem says where. */
    private static String withoutPlace(com.typesafe.config.ConfigException e) {
        String msg = e.getMessage();
        if (e.origin() != null && msg.startsWith(e.origin().description())) {
            msg = msg.substring(e.origin().description().length()).replaceFirst("^:\\s*", "");
        }
        return msg;
    }
}
