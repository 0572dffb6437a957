package dev.vigil.cli.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** The demo's files at its end: the last lines of a log for a failure report, and removing the directory. */
final class DemoFiles {
    private DemoFiles() {
    }

    /** The last {@code n} lines of {@code file} (a line saying why not, if it cannot be read). */
    static List<String> tail(Path file, int n) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return lines.subList(Math.max(0, lines.size() - n), lines.size());
        } catch (IOException e) {
            return List.of("(cannot read " + file + ": " + e.getMessage() + ")");
        }
    }

    /**
     * Deletes what is in {@code dir}, and {@code dir} itself when the demo created it (an empty
     * directory given with --dir stays, empty). Empty when done, else what was left and why.
     */
    static Optional<String> delete(Path dir, boolean withDir) {
        List<String> left = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                if (p.equals(dir) && !withDir) {
                    continue;
                }
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    left.add(p + " (" + e.getMessage() + ")");
                }
            }
        } catch (IOException e) {
            return Optional.of("cannot remove " + dir + ": " + e.getMessage());
        }
        return left.isEmpty() ? Optional.empty()
                : Optional.of("cannot remove " + left.size() + " files of " + dir + ", e.g. " + left.get(0));
    }
}
