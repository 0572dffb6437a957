package dev.vigil.kits.ip;

import dev.vigil.kits.process.Command;
import dev.vigil.kits.process.CommandResult;
import dev.vigil.kits.process.CommandRunner;
import dev.vigil.kits.process.Deadline;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * ARP on the wire: duplicate address detection before an address is added, and gratuitous ARP
 * after, so clients' ARP caches follow the address to this server. Debian ships two programs named
 * arping with different options — {@code iputils-arping} and {@code arping} (Thomas Habets) — so
 * the flavour is detected once and the right options used. Without arping the duplicate check
 * falls back to ping (misses hosts that drop ICMP) and no announcement is sent.
 */
final class Arping {
    enum Flavour { IPUTILS, HABETS, NONE }

    /** The duplicate check's answer: the address is free, in use (with the answering line), or unknown. */
    record Probe(boolean inUse, Optional<String> answer, Optional<String> error) {
        static Probe free() {
            return new Probe(false, Optional.empty(), Optional.empty());
        }

        static Probe inUse(String answer) {
            return new Probe(true, Optional.of(answer), Optional.empty());
        }

        static Probe failed(String error) {
            return new Probe(false, Optional.empty(), Optional.of(error));
        }
    }

    private static final Duration STEP = Duration.ofSeconds(3);
    static final String MISSING = "arping is not installed (Debian package iputils-arping or arping): no gratuitous ARP sent";

    private final CommandRunner runner;
    private volatile Flavour flavour;

    Arping(CommandRunner runner) {
        this.runner = runner;
    }

    Flavour flavour(Deadline deadline) {
        Flavour f = flavour;
        if (f == null) {
            f = detect(deadline);
            flavour = f;
        }
        return f;
    }

    private Flavour detect(Deadline deadline) {
        CommandResult version = runner.run(Command.of(deadline.cap(STEP), "arping", "-V"));
        if (version.output().contains("iputils")) {
            return Flavour.IPUTILS;
        }
        if (version.programMissing()) {
            return Flavour.NONE;
        }
        CommandResult help = runner.run(Command.of(deadline.cap(STEP), "arping", "--help"));
        return help.output().contains("Habets") ? Flavour.HABETS : Flavour.NONE;
    }

    /**
     * Asks the network whether any host answers for {@code address}, from 0.0.0.0 on {@code iface},
     * listening for {@code wait}: arping sends its first probe at once (further ones one second
     * apart) and exits at the first answer; still running when {@code wait} is over, it is ended —
     * nobody answered. On a LAN an answer takes well under a millisecond, so a fraction of a second
     * is plenty; arping itself only knows whole seconds, hence the process time limit.
     */
    Probe probe(String iface, String address, Duration wait, Deadline deadline) {
        Duration limit = deadline.cap(wait);
        if (limit.compareTo(wait) < 0) {
            return Probe.failed("no time left to listen " + CommandResult.seconds(wait) + " for an answer");
        }
        String seconds = Long.toString(wait.toSeconds() + 2);
        switch (flavour(deadline)) {
            case IPUTILS: {
                CommandResult r = runner.run(Command.of(limit, "arping", "-D", "-c", seconds, "-w", seconds, "-I", iface,
                        address));
                if (r.timedOut() || r.succeeded()) {
                    return Probe.free();
                }
                return r.exitCode() == 1 ? Probe.inUse(replyLine(r, "reply from")) : Probe.failed(r.describe());
            }
            case HABETS: {
                CommandResult r = runner.run(Command.of(limit, "arping", "-0", "-C", "1", "-c", seconds, "-w", seconds,
                        "-i", iface, address));
                if (r.succeeded()) {
                    return Probe.inUse(replyLine(r, "bytes from"));
                }
                return r.timedOut() || r.exitCode() == 1 && r.stdout().contains(" 0 packets received") ? Probe.free()
                        : Probe.failed(r.describe());
            }
            default: {
                CommandResult r = runner.run(Command.of(limit, "ping", "-n", "-q", "-c", "1", "-W", seconds, "-I", iface,
                        address));
                if (r.succeeded()) {
                    return Probe.inUse("answers ping (arping is not installed; Debian package iputils-arping or arping)");
                }
                return r.timedOut() || r.exitCode() == 1 ? Probe.free() : Probe.failed(r.describe());
            }
        }
    }

    /** Sends {@code count} gratuitous ARPs for {@code address}; empty when sent, else why not. */
    Optional<String> announce(String iface, String address, int count, Deadline deadline) {
        if (count == 0) {
            return Optional.empty();
        }
        Duration limit = deadline.cap(Duration.ofSeconds(count + 3L));
        String n = Integer.toString(count);
        switch (flavour(deadline)) {
            case IPUTILS: {
                CommandResult r = runner.run(Command.of(limit, "arping", "-U", "-c", n, "-I", iface, address));
                return r.succeeded() ? Optional.empty() : Optional.of(r.describe());
            }
            case HABETS: {
                CommandResult r = runner.run(Command.of(limit, "arping", "-U", "-c", n, "-i", iface, "-S", address, address));
                boolean sent = !r.timedOut() && r.stdout().contains(n + " packets transmitted");
                return sent ? Optional.empty() : Optional.of(r.describe());
            }
            default:
                return Optional.of(MISSING);
        }
    }

    private static String replyLine(CommandResult r, String marker) {
        for (String line : r.stdout().split("\n")) {
            if (line.toLowerCase(java.util.Locale.ROOT).contains(marker)) {
                return line.strip();
            }
        }
        List<String> lines = r.output().lines().toList();
        return lines.isEmpty() ? "a reply" : lines.get(0);
    }
}
