package dev.vigil.core.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigList;
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
import java.util.List;
import java.util.stream.Stream;

/**
 * Loads and validates a server's configuration: the main file, then every {@code *.conf} of the
 * {@code conf.d/} directory beside it in name order (later files override earlier ones, except
 * {@code vigil.hierarchies}, whose entries are concatenated), over the defaults of
 * {@code reference.conf}. Either returns a complete {@link VigilConfig} or throws a
 * {@link ConfigException} listing every problem found.
 */
public final class ConfigLoader {
    /** Where the daemon and the commands look when no file is given. */
    public static final Path DEFAULT_FILE = Path.of("/etc/vigil/vigil.conf");

    private static final ConfigParseOptions PARSE = ConfigParseOptions.defaults()
            .setSyntax(ConfigSyntax.CONF).setAllowMissing(false);

    private ConfigLoader() {
    }

    public static VigilConfig load(Path mainFile) throws ConfigException {
        Problems problems = new Problems();
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
            if (c.hasPath("vigil.hierarchies")) {
                ConfigValue v = c.getValue("vigil.hierarchies");
                if (v.valueType() == ConfigValueType.LIST) {
                    hierarchies.addAll((ConfigList) v);
                } else {
                    problems.add(v.origin(), "vigil.hierarchies", "expected a list [ ... ] of hierarchies but found "
                            + v.valueType().name().toLowerCase(java.util.Locale.ROOT));
                }
            }
        }
        problems.throwIfAny();
        if (merged.hasPath("vigil")) {
            merged = merged.withValue("vigil.hierarchies", ConfigValueFactory.fromIterable(hierarchies));
        }

        Config reference = ConfigFactory.parseResources(ConfigLoader.class, "/reference.conf");
        Config resolved;
        try {
            resolved = merged.withFallback(reference).resolve(ConfigResolveOptions.defaults().setUseSystemEnvironment(true));
        } catch (com.typesafe.config.ConfigException e) {
            problems.add(e.origin(), null, e.getMessage());
            throw new ConfigException(problems.all());
        }

        for (String top : merged.root().keySet()) {
            if (!top.equals("vigil")) {
                problems.add(merged.root().get(top).origin(), top,
                        "unknown key: every setting goes inside vigil { ... }");
            }
        }
        VigilConfig config = new ConfigValidator(problems, reference.getObject("vigil"))
                .read(resolved.getObject("vigil"), List.copyOf(sources));
        problems.throwIfAny();
        return config;
    }

    private static List<Path> confD(Path mainFile, Problems problems) {
        Path dir = mainFile.toAbsolutePath().getParent().resolve("conf.d");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".conf") && Files.isRegularFile(p))
                    .sorted().toList();
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
        } catch (com.typesafe.config.ConfigException e) {
            String msg = e.getMessage();
            // Typesafe prefixes "file: line: "; keep only what is wrong, the origin says where.
            if (e.origin() != null && msg.startsWith(e.origin().description())) {
                msg = msg.substring(e.origin().description().length()).replaceFirst("^:\\s*", "");
            }
            if (e.origin() != null) {
                problems.add(e.origin(), null, "syntax error: " + msg);
            } else {
                problems.add(new ConfigProblem(p.toString(), -1, null, "syntax error: " + msg));
            }
            return null;
        }
    }
}
