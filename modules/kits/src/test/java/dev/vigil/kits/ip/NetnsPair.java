package dev.vigil.kits.ip;

import dev.vigil.kits.TestHost;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Two network namespaces joined by a veth pair, each end named eth0: "here" 10.200.0.1/24 (where
 * the kit acts, through the command prefix) and "peer" 10.200.0.2/24 (another host on the LAN).
 */
public final class NetnsPair implements AutoCloseable {
    public final String here;
    public final String peer;

    public NetnsPair() {
        String id = "vkt-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000, 0xfffff));
        here = id + "-a";
        peer = id + "-b";
        try {
            TestHost.sh("ip", "netns", "add", here);
            TestHost.sh("ip", "netns", "add", peer);
            TestHost.sh("ip", "-n", here, "link", "add", "eth0", "type", "veth", "peer", "name", "eth0", "netns", peer);
            TestHost.sh("ip", "-n", here, "addr", "add", "10.200.0.1/24", "dev", "eth0");
            TestHost.sh("ip", "-n", peer, "addr", "add", "10.200.0.2/24", "dev", "eth0");
            for (String ns : List.of(here, peer)) {
                TestHost.sh("ip", "-n", ns, "link", "set", "lo", "up");
                TestHost.sh("ip", "-n", ns, "link", "set", "eth0", "up");
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    public List<String> prefixHere() {
        return List.of("ip", "netns", "exec", here);
    }

    public String inHere(String... argv) {
        return TestHost.sh(concat(List.of("ip", "netns", "exec", here), argv));
    }

    public String inPeer(String... argv) {
        return TestHost.sh(concat(List.of("ip", "netns", "exec", peer), argv));
    }

    /** True when the peer gets an answer from {@code address}. */
    public boolean peerCanPing(String address) {
        try {
            inPeer("ping", "-n", "-q", "-c", "1", "-W", "1", address);
            return true;
        } catch (IllegalStateException e) {
            return false;
        }
    }

    private static String[] concat(List<String> head, String... tail) {
        String[] all = new String[head.size() + tail.length];
        for (int i = 0; i < head.size(); i++) {
            all[i] = head.get(i);
        }
        System.arraycopy(tail, 0, all, head.size(), tail.length);
        return all;
    }

    @Override
    public void close() {
        TestHost.quietly("ip", "netns", "del", here);
        TestHost.quietly("ip", "netns", "del", peer);
    }
}
