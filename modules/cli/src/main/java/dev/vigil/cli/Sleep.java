package dev.vigil.cli;

/** The 100 ms pause of every polling loop in the commands (waiting for the daemon to start or stop). */
final class Sleep {
    static final long POLL_MILLIS = 100;

    private Sleep() {
    }

    static void brief() {
        try {
            Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CommandFailure.of(ExitCode.SYSTEM, "interrupted");
        }
    }
}
