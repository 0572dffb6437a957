package dev.vigil.guard;

/**
 * The line protocol between the daemon and its guard over the guard's Unix domain socket. One
 * request per line (ARM is followed by its fence list and END), one reply line per request:
 * {@code OK <text>} or {@code ERR <text>}. Tokens are escaped by {@link dev.vigil.guard.fence.Tokens}.
 * <pre>
 * HELLO &lt;pid&gt; &lt;start-ticks&gt; &lt;nanoTime&gt; &lt;heartbeat-ms&gt; [quiet]  who the daemon is (killed if found frozen);
 *                                          with "quiet", FEED and ALIVE get no reply (a refused FEED
 *                                          is logged by the guard): two wake-ups fewer per renewal
 * ARM &lt;name&gt; &lt;guard-timeout-ms&gt; &lt;fence-timeout-ms&gt; &lt;anchor-nanoTime&gt;
 *   KILL &lt;pid&gt; &lt;start-ticks&gt; &lt;label&gt; | UNMOUNT &lt;mount-point&gt; | IPDEL &lt;cidr&gt; &lt;dev&gt; [&lt;netns&gt;]
 * END                                      arm, or re-arm with a new fence list
 * FEED &lt;name&gt; &lt;anchor-nanoTime&gt;            deadline = max(deadline, anchor + guard-timeout)
 * ALIVE                                    the daemon is alive (sent when nothing else is)
 * FENCE &lt;name&gt; &lt;reason&gt;                   fence now; replies when done
 * DISARM &lt;name&gt;|*                         forget the fence list (clean stop, lkstop -f)
 * STATUS
 * EXIT                                     exit; only when nothing is armed
 * </pre>
 * Anchors are System.nanoTime values (CLOCK_MONOTONIC, shared by every process of a host): the
 * start of the lease write that proved entitlement, so a daemon that freezes between renewing and
 * feeding cannot extend the deadline by its pause.
 */
public final class GuardProtocol {
    public static final String HELLO = "HELLO";
    public static final String ARM = "ARM";
    public static final String END = "END";
    public static final String FEED = "FEED";
    public static final String ALIVE = "ALIVE";
    public static final String FENCE = "FENCE";
    public static final String DISARM = "DISARM";
    public static final String STATUS = "STATUS";
    public static final String EXIT = "EXIT";
    /** HELLO's optional last token: FEED and ALIVE are not answered on this connection. */
    public static final String QUIET = "quiet";
    /** The most fence-list lines one ARM may carry. */
    public static final int MAX_FENCE_LINES = 1000;

    private GuardProtocol() {
    }
}
