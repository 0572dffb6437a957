package dev.vigil.guard.fence;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What the guard stops when a hierarchy's owner stops being entitled: processes (each with its
 * descendants, and its process group when it leads one), mount points (after killing every
 * process that uses them) and addresses. The daemon keeps it current as resources come and go:
 * mounts and addresses are listed before they are created, processes once they run.
 *
 * @param kills processes to SIGKILL, identified by PID and start time
 * @param mounts mount points to unmount
 * @param addresses addresses to delete
 */
public record FenceList(List<KillTarget> kills, List<String> mounts, List<AddressTarget> addresses) {

    /**
     * A process to kill.
     *
     * @param pid its PID in the guard's PID namespace
     * @param startTicks its start time from /proc/&lt;pid&gt;/stat, so a reused PID is never killed
     * @param label what it is, for the log ("postmaster")
     */
    public record KillTarget(long pid, long startTicks, String label) {
        public static KillTarget of(ProcStat p, String label) {
            return new KillTarget(p.pid(), p.startTicks(), label);
        }
    }

    /**
     * An address to delete: {@code ip [-n netns] addr del <cidr> dev <device>}.
     *
     * @param cidr address with prefix length, e.g. 10.200.0.100/24
     * @param device the interface
     * @param netns a named network namespace, or "" for the guard's own
     */
    public record AddressTarget(String cidr, String device, String netns) {
        public String describe() {
            return cidr + " from " + device + (netns.isEmpty() ? "" : " (netns " + netns + ")");
        }
    }

    public FenceList {
        kills = List.copyOf(kills);
        mounts = List.copyOf(mounts);
        addresses = List.copyOf(addresses);
    }

    public static FenceList empty() {
        return new FenceList(List.of(), List.of(), List.of());
    }

    public boolean isEmpty() {
        return kills.isEmpty() && mounts.isEmpty() && addresses.isEmpty();
    }

    public FenceList withKill(KillTarget k) {
        List<KillTarget> l = new ArrayList<>(kills);
        l.add(k);
        return new FenceList(l, mounts, addresses);
    }

    public FenceList withMount(String mountPoint) {
        List<String> l = new ArrayList<>(mounts);
        l.add(Path.of(mountPoint).normalize().toString());
        return new FenceList(kills, l, addresses);
    }

    public FenceList withAddress(String cidr, String device, String netns) {
        List<AddressTarget> l = new ArrayList<>(addresses);
        l.add(new AddressTarget(cidr, device, netns == null ? "" : netns));
        return new FenceList(kills, mounts, l);
    }

    /** The protocol lines between {@code ARM} and {@code END}. */
    public List<String> encode() {
        List<String> lines = new ArrayList<>();
        kills.forEach(k -> lines.add("KILL " + Tokens.join(k.pid(), k.startTicks(), k.label())));
        mounts.forEach(m -> lines.add("UNMOUNT " + Tokens.join(m)));
        addresses.forEach(a -> lines.add("IPDEL " + (a.netns().isEmpty() ? Tokens.join(a.cidr(), a.device())
                : Tokens.join(a.cidr(), a.device(), a.netns()))));
        return lines;
    }

    /** Parses those lines; a malformed line is an error naming it. */
    public static FenceList decode(List<String> lines) {
        FenceList list = empty();
        for (String line : lines) {
            List<String> t = Tokens.split(line);
            if (t.isEmpty()) {
                continue;
            }
            String kind = t.get(0);
            if (kind.equals("KILL") && t.size() == 4) {
                long pid = number(t.get(1), line);
                if (pid <= 1) {
                    throw new IllegalArgumentException("refusing to list pid " + pid + " in \"" + line + "\"");
                }
                list = list.withKill(new KillTarget(pid, number(t.get(2), line), t.get(3)));
            } else if (kind.equals("UNMOUNT") && t.size() == 2 && t.get(1).startsWith("/") && !t.get(1).equals("/")) {
                list = list.withMount(t.get(1));
            } else if (kind.equals("IPDEL") && (t.size() == 3 || t.size() == 4) && t.get(1).contains("/")) {
                list = list.withAddress(t.get(1), t.get(2), t.size() == 4 ? t.get(3) : "");
            } else {
                throw new IllegalArgumentException("bad fence list line \"" + line
                        + "\" (expected KILL <pid> <start-ticks> <label>, UNMOUNT <absolute path> or"
                        + " IPDEL <address/prefix> <interface> [<netns>])");
            }
        }
        return list;
    }

    private static long number(String s, String line) {
        try {
            long v = Long.parseLong(s);
            if (v >= 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("bad number \"" + s + "\" in \"" + line + "\"");
    }

    /** {@code postmaster pid 1234, /share, 10.200.0.100/24 from eth0}. */
    public String describe() {
        List<String> parts = new ArrayList<>();
        kills.forEach(k -> parts.add(k.label() + " pid " + k.pid()));
        parts.addAll(mounts);
        addresses.forEach(a -> parts.add(a.describe()));
        return parts.isEmpty() ? "nothing" : String.join(", ", parts);
    }
}
