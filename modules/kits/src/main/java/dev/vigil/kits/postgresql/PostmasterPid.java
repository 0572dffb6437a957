package dev.vigil.kits.postgresql;

import java.util.Optional;

/**
 * The contents of {@code postmaster.pid}: line 1 the postmaster's PID, line 4 its port, line 8
 * its status ({@code starting}, {@code ready}, {@code stopping}, {@code standby}); the postmaster
 * writes the status as it goes, so it tells a starting server from a hung one.
 */
record PostmasterPid(long pid, Optional<Integer> port, String status) {

    /** Empty when the file is empty or its first line is not a PID (a crash while writing it). */
    static Optional<PostmasterPid> parse(String contents) {
        String[] lines = contents.split("\n", -1);
        try {
            long pid = Long.parseLong(lines[0].trim());
            if (pid <= 0) {
                return Optional.empty();
            }
            Optional<Integer> port = Optional.empty();
            if (lines.length > 3 && lines[3].trim().matches("\\d+")) {
                port = Optional.of(Integer.parseInt(lines[3].trim()));
            }
            String status = lines.length > 7 ? lines[7].trim() : "";
            return Optional.of(new PostmasterPid(pid, port, status));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    boolean ready() {
        return status.equals("ready") || status.equals("standby");
    }
}
