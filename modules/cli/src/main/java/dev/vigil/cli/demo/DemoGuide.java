package dev.vigil.cli.demo;

import dev.vigil.cli.CliContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Collectors;

/**
 * The part of the demo's output an operator acts on: where to connect (PostgreSQL, the admin
 * APIs, the GUI) and commands to try, exact ones, with this demo's paths, ports and PIDs.
 * Commands are printed by their short name where $PATH finds this installation's, else by path.
 */
final class DemoGuide {
    private final DemoLayout layout;
    private final CliContext ctx;
    private final Path pgBin;

    DemoGuide(DemoLayout layout, CliContext ctx, Path pgBin) {
        this.layout = layout;
        this.ctx = ctx;
        this.pgBin = pgBin;
    }

    /** The URL psql and most clients take; JDBC takes it after "jdbc:" without the credentials. */
    String postgresUrl(String password) {
        return "postgresql://postgres:" + password + "@127.0.0.1:" + layout.ports().pg() + "/postgres";
    }

    void print(DemoOutput out, String owner, OptionalLong ownerPid, DemoProcesses.Run gui, String password, boolean keep) {
        DemoPorts ports = layout.ports();
        String successor = DemoLayout.SERVERS.stream().filter(s -> !s.equals(owner)).findFirst().orElseThrow();
        String guiConf = layout.config(VigilDemo.GUI_SERVER).toString();
        out.line("Addresses (all on 127.0.0.1 only):");
        out.line("  PostgreSQL  " + psql() + " \"" + postgresUrl(password) + "\"");
        out.line("              JDBC: jdbc:postgresql://127.0.0.1:" + ports.pg() + "/postgres, user postgres, password "
                + password);
        out.line("  admin API   " + DemoLayout.SERVERS.stream().map(s -> s + " 127.0.0.1:" + ports.admin(s))
                .collect(Collectors.joining(", ")) + " (token in " + layout.dir() + "/nI/state/admin.token)");
        if (gui.exit() == 0) {
            out.line("  GUI         http://127.0.0.1:" + ports.gui(VigilDemo.GUI_SERVER) + "/ (the GUI server of "
                    + VigilDemo.GUI_SERVER + ", the last to take over), user " + VigilDemo.GUI_USER + ", password "
                    + password);
        } else {
            out.line("  GUI         not started: " + gui.output().replace('\n', ' '));
            out.line("              start it with: " + command("lkGUIserver") + " start -c " + guiConf);
        }
        out.line("Safety: each daemon runs its fencing guard, which can stop only this demo's postmaster (the");
        out.line("  hierarchy has no virtual IP and no mount); no disk lease: the three servers decide by majority.");
        out.line("");
        out.line("What to try, in another terminal:");
        List<String[]> tries = new ArrayList<>();
        tries.add(new String[] {"watch -n 1 " + command("vigil") + " status -q -c " + guiConf,
                "the cluster as " + VigilDemo.GUI_SERVER + " sees it, every second"});
        tries.add(new String[] {psql() + " \"" + postgresUrl(password) + "\"",
                "PostgreSQL, wherever it runs: CREATE TABLE t (x int); INSERT INTO t VALUES (1);"});
        tries.add(new String[] {"kill -9 " + (ownerPid.isPresent() ? ownerPid.getAsLong() : "PID"),
                "crash the active daemon (" + owner + "): its guard stops PostgreSQL at once, " + successor
                        + " restarts it within seconds"});
        String third = DemoLayout.SERVERS.stream().filter(s -> !s.equals(owner) && !s.equals(successor)).findFirst()
                .orElseThrow();
        tries.add(new String[] {command("vigil") + " switchover " + DemoLayout.TAG + " --to " + third + " -c "
                + layout.config(successor), "move " + DemoLayout.TAG + " to " + third + " by hand (after the failover, or "
                + "instead of it)"});
        tries.add(new String[] {command("vigil") + " log log -c " + layout.config(successor),
                "what " + successor + " did, and why"});
        tries.forEach(t -> {
            out.line("  # " + t[1]);
            out.line("  " + t[0]);
        });
        out.line("  (A killed daemon is not started again by hand here: on one machine it would find the PostgreSQL");
        out.line("  that another server runs in the shared data directory and take it for its own.)");
        out.line("");
        String end = keep ? "stops everything." : "stops everything and removes " + layout.dir() + ".";
        out.line(sigintIgnored()
                ? "Watching the cluster; kill " + ProcessHandle.current().pid() + " (SIGTERM) " + end
                        + " (Ctrl-C cannot: SIGINT is ignored in this process, as in a background job of a script)"
                : "Watching the cluster; Ctrl-C " + end);
    }

    /** Whether SIGINT was ignored when this JVM started (it then stays ignored): /proc/self/status, SigIgn. */
    static boolean sigintIgnored() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("SigIgn:")) {
                    return (Long.parseUnsignedLong(line.substring(7).strip(), 16) & 0x2) != 0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return false;
        }
        return false;
    }

    /** The command's short name when $PATH finds this installation's, else its path. */
    String command(String name) {
        Optional<Path> ours = ctx.vigilHome().map(h -> h.resolve("bin").resolve(name));
        if (ours.isEmpty()) {
            return name;
        }
        Optional<Path> found = onPath(name);
        return found.isPresent() && same(found.get(), ours.get()) ? name : ours.get().toString();
    }

    private String psql() {
        if (onPath("psql").isPresent()) {
            return "psql";
        }
        Path own = pgBin.resolve("psql");
        return Files.isExecutable(own) ? own.toString() : "psql";
    }

    private Optional<Path> onPath(String name) {
        String path = ctx.env().get("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(":")) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    private static boolean same(Path a, Path b) {
        try {
            return Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }
}
