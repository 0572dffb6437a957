package dev.vigil.kits.ip;

import dev.vigil.kits.process.Command;
import dev.vigil.kits.process.CommandResult;
import dev.vigil.kits.process.CommandRunner;
import dev.vigil.kits.process.Deadline;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One network interface as {@code ip} shows it: its link state and whether it carries an address. */
final class NetInterface {
    enum Link { UP, DOWN, MISSING, UNKNOWN }

    /** A link state with the output that explains it. */
    record LinkState(Link link, String detail) {
    }

    /** Whether the address is on the interface; {@code error} when {@code ip} itself failed. */
    record AddressState(boolean present, String error) {
    }

    private static final Duration STEP = Duration.ofSeconds(5);
    private static final Pattern FLAGS = Pattern.compile("<([^>]*)>");

    private final CommandRunner runner;
    private final String name;

    NetInterface(CommandRunner runner, String name) {
        this.runner = runner;
        this.name = name;
    }

    String name() {
        return name;
    }

    /** UP = administratively up with carrier (flags UP and LOWER_UP). */
    LinkState link(Deadline deadline) {
        CommandResult r = runner.run(Command.of(deadline.cap(STEP), "ip", "-o", "link", "show", "dev", name));
        if (!r.succeeded()) {
            return new LinkState(r.output().contains("does not exist") ? Link.MISSING : Link.UNKNOWN, r.describe());
        }
        Matcher m = FLAGS.matcher(r.stdout());
        if (!m.find()) {
            return new LinkState(Link.UNKNOWN, r.describe());
        }
        String flags = "," + m.group(1) + ",";
        boolean up = flags.contains(",UP,") && flags.contains(",LOWER_UP,");
        return new LinkState(up ? Link.UP : Link.DOWN, "<" + m.group(1) + ">");
    }

    AddressState has(String address, int prefix, Deadline deadline) {
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
