package dev.vigil.kits.ip;

import dev.vigil.kits.process.Command;
import dev.vigil.kits.process.CommandResult;
import dev.vigil.kits.process.CommandRunner;
import dev.vigil.kits.process.Deadline;
import dev.vigil.kits.process.HostFiles;
import java.net.Inet4Address;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.time.Duration;

/**
 * One network interface as the kernel shows it: its link state ({@code /sys/class/net/IF}) and
 * whether it carries an address ({@link NetworkInterface}, which lists every IPv4 address with its
 * prefix length, secondary and labelled ones included). The check reads both every two seconds, so
 * in the daemon's own network namespace they are read in the JVM, without a process; behind a
 * command prefix the sysfs files are read through it and the addresses with {@code ip}. Adding and
 * deleting the address are actions, done with {@code ip}.
 */
final class NetInterface {
    enum Link { UP, DOWN, MISSING, UNKNOWN }

    /** A link state with what explains it, in parentheses: "(no carrier, operstate down)". */
    record LinkState(Link link, String detail) {
    }

    /** Whether the address is on the interface; {@code error} when the addresses could not be read. */
    record AddressState(boolean present, String error) {
    }

    private static final Duration STEP = Duration.ofSeconds(5);
    /** IFF_UP in {@code flags}: the interface is administratively up. */
    private static final int IFF_UP = 0x1;
    /** What reading {@code carrier} of an interface that is administratively down fails with (EINVAL). */
    private static final String NOT_UP = "Invalid argument";

    private final CommandRunner runner;
    private final HostFiles files;
    private final String name;
    private final String sysfs;

    NetInterface(CommandRunner runner, String name) {
        this.runner = runner;
        this.files = new HostFiles(runner);
        this.name = name;
        this.sysfs = "/sys/class/net/" + name;
    }

    String name() {
        return name;
    }

    /** UP = administratively up ({@code flags} has IFF_UP) with carrier ({@code carrier} is 1). */
    LinkState link(Deadline deadline) {
        HostFiles.Read flags = files.read(sysfs + "/flags", deadline);
        if (flags.missing()) {
            return new LinkState(Link.MISSING, "(no " + sysfs + ")");
        }
        if (!flags.ok()) {
            return new LinkState(Link.UNKNOWN, "(" + sysfs + "/flags: " + flags.error() + ")");
        }
        int bits;
        try {
            bits = Integer.decode(flags.text().strip());
        } catch (NumberFormatException e) {
            return new LinkState(Link.UNKNOWN, "(" + sysfs + "/flags: unexpected '" + flags.text().strip() + "')");
        }
        if ((bits & IFF_UP) == 0) {
            return down("administratively down", deadline);
        }
        HostFiles.Read carrier = files.read(sysfs + "/carrier", deadline);
        if (carrier.ok()) {
            return carrier.text().strip().equals("1") ? new LinkState(Link.UP, "(up, with carrier)")
                    : down("no carrier", deadline);
        }
        if (carrier.error().equals(NOT_UP)) {
            return down("administratively down", deadline); // set down since flags was read
        }
        if (carrier.missing()) {
            return new LinkState(Link.MISSING, "(no " + sysfs + ")");
        }
        return new LinkState(Link.UNKNOWN, "(" + sysfs + "/carrier: " + carrier.error() + ")");
    }

    private LinkState down(String why, Deadline deadline) {
        HostFiles.Read operstate = files.read(sysfs + "/operstate", deadline);
        String state = operstate.ok() ? operstate.text().strip() : "unreadable";
        return new LinkState(Link.DOWN, "(" + why + ", operstate " + state + ")");
    }

    /** Whether {@code address/prefix} is on the interface; an interface that does not exist has no address. */
    AddressState has(String address, int prefix, Deadline deadline) {
        return files.inJvm() ? hasInJvm(address, prefix) : hasWithIp(address, prefix, deadline);
    }

    private AddressState hasInJvm(String address, int prefix) {
        NetworkInterface nic;
        try {
            nic = NetworkInterface.getByName(name);
        } catch (SocketException e) {
            return new AddressState(false, "cannot list the addresses of " + name + ": " + e.getMessage());
        }
        boolean present = nic != null && nic.getInterfaceAddresses().stream()
                .anyMatch(a -> a.getAddress() instanceof Inet4Address && a.getNetworkPrefixLength() == prefix
                        && a.getAddress().getHostAddress().equals(address));
        return new AddressState(present, "");
    }

    private AddressState hasWithIp(String address, int prefix, Deadline deadline) {
        CommandResult r = runner.run(Command.of(deadline.cap(STEP), "ip", "-o", "-4", "addr", "show", "dev", name));
        if (!r.succeeded()) {
            boolean missing = r.output().contains("does not exist");
            return new AddressState(false, missing ? "" : r.describe());
        }
        return new AddressState(r.stdout().contains(" inet " + address + "/" + prefix + " "), "");
    }

    CommandResult add(String address, int prefix, Deadline deadline) {
        return runner.run(Command.of(deadline.cap(STEP), "ip", "addr", "add", address + "/" + prefix, "dev", name));
    }

    CommandResult delete(String address, int prefix, Deadline deadline) {
        return runner.run(Command.of(deadline.cap(STEP), "ip", "addr", "del", address + "/" + prefix, "dev", name));
    }

    /** One ping from {@code source} to {@code target}: true when it was answered. */
    boolean ping(String source, String target, Duration wait, Deadline deadline) {
        long secs = Math.max(1, wait.toSeconds());
        CommandResult r = runner.run(Command.of(deadline.cap(Duration.ofSeconds(secs + 2)), "ping", "-n", "-q", "-c", "1",
                "-W", Long.toString(secs), "-I", source, target));
        return r.succeeded();
    }
}
