package dev.vigil.guard;

/** The guard's answer to one request (or why there was none), as a value. */
public record GuardReply(boolean ok, String message) {

    static GuardReply parse(String line) {
        if (line.startsWith("OK")) {
            return new GuardReply(true, line.substring(2).trim());
        }
        if (line.startsWith("ERR")) {
            return new GuardReply(false, line.substring(3).trim());
        }
        return new GuardReply(false, "unexpected reply from the guard: " + line);
    }

    static GuardReply error(String message) {
        return new GuardReply(false, message);
    }
}
