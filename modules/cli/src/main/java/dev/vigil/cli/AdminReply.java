package dev.vigil.cli;

/**
 * What a call to the daemon's admin API came to. Each command decides what each outcome means
 * for it: for {@code lkstop} "not running" is a success, for {@code lcdstatus} it is exit 9.
 */
public sealed interface AdminReply {

    /** A 2xx answer with its JSON body. */
    record Answered(int status, String body) implements AdminReply {
    }

    /** Nothing answers on the admin port (connection refused or no answer in time). */
    record NotRunning(String detail) implements AdminReply {
    }

    /** The daemon answers, but the admin token could not be read or was rejected. */
    record TokenProblem(String message) implements AdminReply {
    }

    /**
     * The daemon answered with an error (non-2xx other than 401) and its {@code error} text;
     * {@code body} is the whole answer (some errors carry more, e.g. a timed-out command's output).
     */
    record Failed(int status, String error, String body) implements AdminReply {

        public Failed(int status, String error) {
            this(status, error, "");
        }
    }
}
