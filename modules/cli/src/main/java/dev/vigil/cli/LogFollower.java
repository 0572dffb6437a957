package dev.vigil.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * {@code tail -f} of one log's current file: prints what is appended to it, and when the log
 * rolls over (the file is renamed to {@code .1.log} and a new one started, or it shrinks) goes on
 * from the start of the new file. Polls four times a second; stops when its thread is interrupted
 * (Ctrl-C ends the whole command anyway).
 */
final class LogFollower {
    private static final long POLL_MILLIS = 250;

    private final Path file;
    private final PrintWriter out;

    LogFollower(Path file, PrintWriter out) {
        this.file = file;
        this.out = out;
    }

    /** Follows from byte {@code position} of the current file until interrupted. */
    void follow(long position) {
        Object identity = identity();
        long pos = position;
        byte[] pending = new byte[0];
        while (!Thread.currentThread().isInterrupted()) {
            Object now = identity();
            long size = size();
            if (now != null && (!now.equals(identity) || size < pos)) {
                identity = now; // a new file after a roll-over: read it from its start
                pos = 0;
            }
            if (size > pos) {
                byte[] chunk = read(pos, size);
                pos += chunk.length;
                pending = print(concat(pending, chunk));
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        out.flush();
    }

    /** Prints the complete lines of {@code bytes} (never half a UTF-8 character); returns the rest. */
    private byte[] print(byte[] bytes) {
        int end = bytes.length;
        while (end > 0 && bytes[end - 1] != '\n') {
            end--;
        }
        if (end > 0) {
            out.print(new String(bytes, 0, end, StandardCharsets.UTF_8));
            out.flush();
        }
        byte[] rest = new byte[bytes.length - end];
        System.arraycopy(bytes, end, rest, 0, rest.length);
        return rest;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = new byte[a.length + b.length];
        System.arraycopy(a, 0, c, 0, a.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    private byte[] read(long from, long to) {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            f.seek(from);
            byte[] b = new byte[(int) Math.min(to - from, 1 << 20)];
            int n = f.read(b);
            if (n <= 0) {
                return new byte[0];
            }
            byte[] exact = new byte[n];
            System.arraycopy(b, 0, exact, 0, n);
            return exact;
        } catch (IOException e) {
            return new byte[0]; // rolled away between the size and the read: next round reads the new file
        }
    }

    private long size() {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    private Object identity() {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            return null;
        }
    }
}
