package dev.vigil.daemon.cluster.fencing;

/**
 * {@code cluster.fencing.guard = false}: nothing outside the daemon stops the resources. The daemon
 * still takes them out of service itself when it loses quorum or its lease, but a frozen or killed
 * daemon leaves them running; the daemon warns about it at start (docs/split-brain.md).
 */
public final class NoFencing implements Fencing {
    @Override
    public boolean arm(String tag, long anchorNanos) {
        return true;
    }

    @Override
    public boolean feed(String tag, long anchorNanos) {
        return true;
    }

    @Override
    public boolean refresh(String tag, long anchorNanos) {
        return true;
    }

    @Override
    public boolean disarm(String tag) {
        return true;
    }

    @Override
    public boolean fenceNow(String tag, String reason) {
        return true;
    }

    @Override
    public void close() {
    }
}
