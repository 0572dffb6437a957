package dev.vigil.core.config;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Writes configuration files into a test's temporary directory and loads them the way the
 * daemon does, returning the problems as an operator reads them with the directory left off
 * ({@code vigil.conf:5: vigil.cluster...}), so tests can assert the exact text and line.
 */
final class ConfigFixture {
    /**
     * The first three lines of most test configurations: this server and a two-server cluster.
     * What a test appends starts at line 4.
     */
    static final String HEAD = """
            vigil {
              server = n1
              cluster.servers = [ { name = n1, host = "10.200.0.1" }, { name = n2, host = "10.200.0.2" } ]
            """;

    private final Path dir;

    ConfigFixture(Path dir) {
        this.dir = dir;
    }

    /** {@link #HEAD}, then {@code body} (from line 4), then the closing brace. */
    static String vigil(String body) {
        return HEAD + body + "}\n";
    }

    /**
     * A configuration with one hierarchy "pg" (priorities n1 = 1, n2 = 10) whose resource
     * lines, one per entry of {@code resourceLines}, start at line 7.
     */
    static String hierarchy(String... resourceLines) {
        return vigil("""
                  hierarchies = [ {
                    tag = pg, priorities { n1 = 1, n2 = 10 }
                    resources = [
                """ + Arrays.stream(resourceLines).map(l -> "      " + l + "\n").collect(Collectors.joining())
                + "    ] } ]\n");
    }

    /** A generic resource entry on one line, depending on {@code deps}. */
    static String generic(String tag, String... deps) {
        return "{ tag = \"" + tag + "\", type = generic, restore-script = \"/opt/app/start\", remove-script = \"/opt/app/stop\","
                + " quick-check-script = \"/opt/app/check\", depends-on = [" + Arrays.stream(deps)
                .map(d -> "\"" + d + "\"").collect(Collectors.joining(", ")) + "] }";
    }

    Path dir() {
        return dir;
    }

    /** Writes {@code text} to {@code name} below the directory (creating folders) and returns its path. */
    Path write(String name, String text) {
        Path p = dir.resolve(name);
        try {
            Files.createDirectories(p.getParent());
            Files.writeString(p, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    /** Writes {@code text} as vigil.conf and loads it, failing the test on any problem. */
    VigilConfig load(String text) {
        write("vigil.conf", text);
        return loadMain();
    }

    VigilConfig loadMain() {
        try {
            return ConfigLoader.load(dir.resolve("vigil.conf"));
        } catch (ConfigException e) {
            return fail("expected no problems but got:\n" + e.getMessage());
        }
    }

    /** Writes {@code text} as vigil.conf, loads it and returns the problems, which must exist. */
    List<String> problems(String text) {
        write("vigil.conf", text);
        return problemsOf(dir.resolve("vigil.conf"));
    }

    /** Loads {@code main} (already written) and returns its problems, which must exist. */
    List<String> problemsOf(Path main) {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(main));
        return e.problems().stream().map(p -> p.toString().replace(dir + "/", "")).toList();
    }
}
