package dev.vigil.guard;

import dev.vigil.guard.fence.FenceList;
import dev.vigil.guard.fence.Tokens;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The guard's Unix domain socket (mode 0600: root's daemon only) and the protocol of
 * {@link GuardProtocol}: one daemon connection at a time, each line handed to {@link GuardCore}.
 * A connection that closes for any reason (the daemon exited or was killed) makes the core fence
 * whatever is still armed.
 */
final class GuardServer {

    private final Path socket;
    private final GuardCore core;
    private final GuardLog log;
    private final Runnable exit;
    private final AtomicBoolean busy = new AtomicBoolean();

    GuardServer(Path socket, GuardCore core, GuardLog log, Runnable exit) {
        this.socket = socket;
        this.core = core;
        this.log = log;
        this.exit = exit;
    }

    /** True when a live guard answers on the socket already. */
    static boolean answering(Path socket) {
        try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            return probe.isConnected();
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Binds under a temporary name, restricts it to 0600, then renames it into place, so the
     * socket is never reachable with looser permissions.
     */
    ServerSocketChannel bind() throws IOException {
        Files.deleteIfExists(socket);
        Path tmp = socket.resolveSibling(socket.getFileName() + ".new-" + ProcessHandle.current().pid());
        Files.deleteIfExists(tmp);
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(tmp));
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        Files.move(tmp, socket, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return server;
    }

    void serve(ServerSocketChannel server) throws IOException {
        while (true) {
            SocketChannel ch = server.accept();
            Thread t = new Thread(() -> handle(ch), "vigil-guard-connection");
            t.setDaemon(true);
            t.start();
        }
    }

    /**
     * Serves one connection. It becomes the daemon's connection with HELLO (there is at most one);
     * before that it may only say HELLO, so a probe that connects and leaves changes nothing.
     */
    private void handle(SocketChannel ch) {
        boolean daemon = false;
        boolean exiting = false;
        boolean quiet = false;
        try (ch;
             BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(ch),
                     StandardCharsets.UTF_8));
             Writer out = new OutputStreamWriter(Channels.newOutputStream(ch), StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                String reply;
                if (!daemon && !line.startsWith(GuardProtocol.HELLO + " ")) {
                    reply = "ERR say HELLO first";
                } else if (!daemon && !busy.compareAndSet(false, true)) {
                    reply = "ERR busy: another daemon is connected to this guard";
                } else {
                    daemon = true;
                    core.heard();
                    reply = dispatchSafely(line, in);
                    if (line.startsWith(GuardProtocol.HELLO + " ") && reply.startsWith("OK")) {
                        quiet = line.endsWith(" " + GuardProtocol.QUIET);
                    }
                    if (quiet && (line.startsWith(GuardProtocol.FEED + " ") || line.equals(GuardProtocol.ALIVE))) {
                        if (!reply.startsWith("OK")) {
                            log.warn("unanswered (quiet) " + line + ": " + reply);
                        }
                        continue;
                    }
                }
                exiting = reply.equals("OK exiting");
                out.write(reply.replace('\n', ' ') + "\n");
                out.flush();
                if (exiting || reply.startsWith("ERR busy")) {
                    break;
                }
            }
        } catch (IOException e) {
            log.info("daemon connection failed: " + e.getMessage());
        } finally {
            if (daemon) {
                if (!exiting) {
                    core.disconnected();
                }
                busy.set(false);
            }
        }
        if (exiting) {
            exit.run();
        }
    }

    private String dispatchSafely(String line, BufferedReader in) throws IOException {
        try {
            return dispatch(line, in);
        } catch (IllegalArgumentException e) {
            return "ERR " + e.getMessage();
        }
    }

    private String dispatch(String line, BufferedReader in) throws IOException {
        List<String> t = Tokens.split(line);
        if (t.isEmpty()) {
            return "ERR empty request";
        }
        String cmd = t.get(0);
        switch (cmd) {
            case GuardProtocol.HELLO:
                if (t.size() == 6 && t.get(5).equals(GuardProtocol.QUIET)) {
                    t = t.subList(0, 5);
                }
                need(t, 5, "HELLO <pid> <start-ticks> <nanoTime> <heartbeat-ms> [" + GuardProtocol.QUIET + "]");
                return core.hello(number(t.get(1)), number(t.get(2)), number(t.get(3)), number(t.get(4)));
            case GuardProtocol.ARM:
                need(t, 5, "ARM <name> <guard-timeout-ms> <fence-timeout-ms> <anchor-nanoTime>");
                FenceList list = FenceList.decode(fenceLines(in));
                return core.arm(t.get(1), number(t.get(2)), number(t.get(3)), number(t.get(4)), list);
            case GuardProtocol.FEED:
                need(t, 3, "FEED <name> <anchor-nanoTime>");
                return core.feed(t.get(1), number(t.get(2)));
            case GuardProtocol.ALIVE:
                return "OK";
            case GuardProtocol.FENCE:
                need(t, 3, "FENCE <name> <reason>");
                return core.fenceNow(t.get(1), t.get(2));
            case GuardProtocol.DISARM:
                need(t, 2, "DISARM <name>|*");
                return core.disarm(t.get(1));
            case GuardProtocol.STATUS:
                return core.status();
            case GuardProtocol.EXIT:
                return core.idle() ? "OK exiting" : "ERR still armed; DISARM first";
            default:
                return "ERR unknown request \"" + cmd + "\"";
        }
    }

    private static List<String> fenceLines(BufferedReader in) throws IOException {
        List<String> lines = new ArrayList<>();
        String l;
        int count = 0;
        while ((l = in.readLine()) != null && !l.trim().equals(GuardProtocol.END)) {
            if (++count <= GuardProtocol.MAX_FENCE_LINES) {
                lines.add(l);
            }
        }
        if (l == null) {
            throw new IOException("connection closed inside ARM");
        }
        if (count > GuardProtocol.MAX_FENCE_LINES) {
            throw new IllegalArgumentException("fence list longer than " + GuardProtocol.MAX_FENCE_LINES + " lines");
        }
        return lines;
    }

    private static void need(List<String> t, int n, String usage) {
        if (t.size() != n) {
            throw new IllegalArgumentException("usage: " + usage);
        }
    }

    private static long number(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a number: \"" + s + "\"");
        }
    }
}
