package dev.vigil.kits.postgresql;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The health check's password, from the configured password-file: either lines in the
 * {@code .pgpass} format ({@code host:port:database:user:password}, {@code *} matches anything,
 * {@code \:} and {@code \\} escape) — the first line matching 127.0.0.1 or localhost, the port,
 * template1 and the superuser wins — or a file whose only line is the bare password.
 * Read at every check, so fixing the file needs no restart.
 */
final class PasswordFile {

    /** The password, or a problem an operator must fix. */
    record Lookup(Optional<String> password, Optional<String> problem) {
    }

    private PasswordFile() {
    }

    static Lookup read(Path file, int port, String user) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file).stream().filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
        } catch (IOException e) {
            return problem("cannot read password-file " + file + ": " + e.getClass().getSimpleName() + " " + e.getMessage());
        }
        if (lines.isEmpty()) {
            return problem("password-file " + file + " is empty");
        }
        boolean sawEntry = false;
        for (String line : lines) {
            List<String> f = fields(line);
            if (f.size() != 5) {
                continue;
            }
            sawEntry = true;
            if (matches(f.get(0), "127.0.0.1", "localhost") && matches(f.get(1), Integer.toString(port))
                    && matches(f.get(2), "template1") && matches(f.get(3), user)) {
                return new Lookup(Optional.of(f.get(4)), Optional.empty());
            }
        }
        if (!sawEntry && lines.size() == 1) {
            return new Lookup(Optional.of(lines.get(0)), Optional.empty());
        }
        if (!sawEntry) {
            return problem("password-file " + file + " has " + lines.size()
                    + " lines but none in the form host:port:database:user:password");
        }
        return problem("no line of password-file " + file + " matches 127.0.0.1:" + port + ":template1:" + user);
    }

    private static Lookup problem(String message) {
        return new Lookup(Optional.empty(), Optional.of(message));
    }

    private static boolean matches(String field, String... wanted) {
        if (field.equals("*")) {
            return true;
        }
        for (String w : wanted) {
            if (field.equals(w)) {
                return true;
            }
        }
        return false;
    }

    /** Splits on unescaped colons, undoing {@code \:} and {@code \\}. */
    static List<String> fields(String line) {
        List<String> result = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\\' && i + 1 < line.length()) {
                current.append(line.charAt(++i));
            } else if (c == ':' && result.size() < 4) {
                result.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        result.add(current.toString());
        return result;
    }
}
