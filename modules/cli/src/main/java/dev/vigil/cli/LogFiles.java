package dev.vigil.cli;

import dev.vigil.core.LogType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The files of one log in reading order: the rolled files oldest first ({@code lcm.5.log} …
 * {@code lcm.1.log}, 1 being the newest), then the current {@code lcm.log}. Rolled files are
 * found by listing the directory, so files kept under an older, larger {@code max-files} are
 * shown too.
 */
public final class LogFiles {

    private LogFiles() {
    }

    public static List<Path> inReadingOrder(Path dir, LogType type) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        String current = type.fileName();
        String base = current.substring(0, current.length() - ".log".length());
        Pattern rolled = Pattern.compile(Pattern.quote(base) + "\\.(\\d{1,9})\\.log");
        Map<Integer, Path> byNumber = new TreeMap<>(Comparator.reverseOrder());
        try (Stream<Path> files = Files.list(dir)) {
            files.forEach(p -> {
                Matcher m = rolled.matcher(p.getFileName().toString());
                if (m.matches() && Files.isRegularFile(p)) {
                    byNumber.put(Integer.parseInt(m.group(1)), p);
                }
            });
        }
        List<Path> out = new ArrayList<>(byNumber.values());
        Path now = dir.resolve(current);
        if (Files.isRegularFile(now)) {
            out.add(now);
        }
        return out;
    }
}
