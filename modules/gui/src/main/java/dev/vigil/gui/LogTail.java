package dev.vigil.gui;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The last lines of a log file, read from its end (logs grow to megabytes; the GUI shows a few hundred lines). */
final class LogTail {
    private static final int CHUNK = 64 * 1024;

    private LogTail() {
    }

    /** At most {@code lines} last lines of {@code file}; none for a missing file. */
    static List<String> of(Path file, int lines) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            long end = f.length();
            long start = end;
            byte[] data = new byte[0];
            while (start > 0 && count(data) <= lines) {
                int n = (int) Math.min(CHUNK, start);
                start -= n;
                byte[] chunk = new byte[n];
                f.seek(start);
                f.readFully(chunk);
                byte[] joined = Arrays.copyOf(chunk, n + data.length);
                System.arraycopy(data, 0, joined, n, data.length);
                data = joined;
            }
            return last(new String(data, StandardCharsets.UTF_8), lines, start > 0);
        } catch (NoSuchFileException | java.io.FileNotFoundException e) {
            return List.of();
        }
    }

    /** The last {@code lines} lines of {@code text}; the first is dropped when it may be cut. */
    static List<String> last(String text, int lines, boolean firstMayBeCut) {
        List<String> all = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
        if (!all.isEmpty() && all.get(all.size() - 1).isEmpty()) {
            all.remove(all.size() - 1);
        }
        if (firstMayBeCut && !all.isEmpty()) {
            all.remove(0);
        }
        return List.copyOf(all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    private static int count(byte[] data) {
        int n = 0;
        for (byte b : data) {
            if (b == '\n') {
                n++;
            }
        }
        return n;
    }
}
