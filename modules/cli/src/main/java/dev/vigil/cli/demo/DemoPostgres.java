package dev.vigil.cli.demo;

import dev.vigil.cli.CommandFailure;
import dev.vigil.cli.ExitCode;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * The demo's PostgreSQL before and after the daemons: finding the server programs, the OS user
 * that runs them (PostgreSQL refuses root), the data directory made by initdb with a superuser
 * password, and at the end whatever still runs of it, ended by the PID in postmaster.pid. While
 * the demo runs, the daemons' PostgreSQL kit alone starts and stops it.
 */
final class DemoPostgres {
    static final List<String> PROGRAMS = List.of("initdb", "pg_ctl", "postgres");
    /** Where packages put the server programs: Debian, the PGDG RPMs, a source build; then $PATH. */
    static final List<String> SEARCHED = List.of("/usr/lib/postgresql/*/bin", "/usr/pgsql-*/bin", "/usr/local/pgsql/bin");
    private static final Duration INITDB_TIMEOUT = Duration.ofMinutes(2);

    private DemoPostgres() {
    }

    /** The programs of {@link #PROGRAMS} that {@code dir} lacks. */
    static List<String> missing(Path dir) {
        return PROGRAMS.stream().filter(p -> !Files.isExecutable(dir.resolve(p))).toList();
    }

    /**
     * The first directory of {@code patterns} (one {@code *} each, highest version first), then of
     * {@code path} ($PATH), that holds every program; else the failure that says where it looked.
     */
    static Path findBin(List<String> patterns, String path) {
        List<Path> candidates = new ArrayList<>();
        patterns.forEach(p -> candidates.addAll(expand(p)));
        for (String dir : path == null ? new String[0] : path.split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "initdb"))) {
                candidates.add(Path.of(dir));
            }
        }
        List<String> partial = new ArrayList<>();
        for (Path dir : candidates) {
            List<String> lacks = missing(dir);
            if (lacks.isEmpty()) {
                return dir;
            }
            if (lacks.size() < PROGRAMS.size()) {
                partial.add(dir + " lacks " + String.join(", ", lacks));
            }
        }
        throw CommandFailure.of(ExitCode.SYSTEM, "no PostgreSQL server programs found (" + String.join(", ", PROGRAMS)
                + " in one directory); looked in " + String.join(", ", patterns) + " and $PATH"
                + (partial.isEmpty() ? "" : " (" + String.join("; ", partial) + ")")
                + "; install them (Debian: apt-get install postgresql) or name their directory with --pg-bin DIR");
    }

    /** The directories matching {@code pattern}, whose one {@code *} is a version: highest first. */
    private static List<Path> expand(String pattern) {
        int star = pattern.indexOf('*');
        if (star < 0) {
            return Files.isDirectory(Path.of(pattern)) ? List.of(Path.of(pattern)) : List.of();
        }
        Path parent = Path.of(pattern.substring(0, pattern.lastIndexOf('/', star)));
        int end = pattern.indexOf('/', star);
        String glob = pattern.substring(parent.toString().length() + 1, end < 0 ? pattern.length() : end);
        String rest = end < 0 ? "" : pattern.substring(end + 1);
        List<Path> found = new ArrayList<>();
        if (!Files.isDirectory(parent)) {
            return found;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(parent, glob)) {
            entries.forEach(e -> found.add(rest.isEmpty() ? e : e.resolve(rest)));
        } catch (IOException e) {
            return found;
        }
        found.removeIf(p -> !Files.isDirectory(p));
        found.sort(Comparator.comparing((Path p) -> versionOf(p, parent), DemoPostgres::compareVersions).reversed());
        return found;
    }

    private static String versionOf(Path dir, Path parent) {
        return parent.relativize(dir).getName(0).toString();
    }

    /** "16" after "9.6", "15" after "15beta1"'s 15: numbers compared as numbers, part by part. */
    static int compareVersions(String a, String b) {
        String[] x = a.split("\\D+");
        String[] y = b.split("\\D+");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            long p = i < x.length && !x[i].isEmpty() ? Long.parseLong(x[i]) : -1;
            long q = i < y.length && !y[i].isEmpty() ? Long.parseLong(y[i]) : -1;
            if (p != q) {
                return Long.compare(p, q);
            }
        }
        return a.compareTo(b);
    }

    static boolean runningAsRoot() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /** The OS user named {@code name}, if there is one. */
    static Optional<UserPrincipal> osUser(String name) {
        try {
            return Optional.of(FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName(name));
        } catch (UserPrincipalNotFoundException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw CommandFailure.of(ExitCode.SYSTEM, "cannot look up OS user " + name + ": " + e.getMessage());
        }
    }

    /**
     * {@code initdb} into {@code layout.dataDir()} as {@code user} (through runuser when that is not
     * us), the superuser {@code postgres} with {@code password}, password authentication over
     * TCP; then the instance listens on 127.0.0.1 only, without a Unix socket (no clash with the
     * machine's own PostgreSQL in /var/run/postgresql). Its output stays in {@code <dir>/initdb.log}.
     */
    static void initdb(DemoLayout layout, Path bin, String user, boolean asOtherUser, String password) {
        Path root = layout.pgRoot();
        Path pwfile = root.resolve("pwfile");
        try {
            Files.setPosixFilePermissions(layout.dir(), PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.createDirectories(root);
            Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwx------"));
            Files.writeString(pwfile, password + "\n");
            Files.setPosixFilePermissions(pwfile, PosixFilePermissions.fromString("rw-------"));
            if (asOtherUser) {
                UserPrincipal owner = osUser(user).orElseThrow();
                Files.setOwner(root, owner);
                Files.setOwner(pwfile, owner);
            }
        } catch (IOException e) {
            throw CommandFailure.of(ExitCode.SYSTEM, "cannot prepare " + root + ": " + e);
        }
        if (asOtherUser && run(List.of("runuser", "-u", user, "--", "test", "-w", root.toString()), layout, "access.log") != 0) {
            throw CommandFailure.of(ExitCode.SYSTEM, "PostgreSQL's OS user " + user + " cannot reach " + root
                    + ": a directory above " + layout.dir() + " is closed to it; choose a --dir it can reach, e.g. under /tmp");
        }
        List<String> argv = new ArrayList<>(asOtherUser ? List.of("runuser", "-u", user, "--") : List.of());
        argv.addAll(List.of(bin.resolve("initdb").toString(), "-D", layout.dataDir().toString(), "-U", "postgres",
                "--pwfile=" + pwfile, "--auth-host=scram-sha-256", "--auth-local=peer", "-E", "UTF8", "--locale=C",
                "--no-sync"));
        int exit = run(argv, layout, "initdb.log");
        try {
            Files.deleteIfExists(pwfile);
            if (exit != 0) {
                throw CommandFailure.of(ExitCode.SYSTEM, "initdb failed (exit code " + exit + "): "
                        + String.join(" | ", DemoFiles.tail(layout.dir().resolve("initdb.log"), 5)));
            }
            Files.writeString(layout.dataDir().resolve("postgresql.conf"), "\n# vigil demo\nlisten_addresses = '127.0.0.1'\n"
                    + "port = " + layout.ports().pg() + "\nunix_socket_directories = ''\nmax_connections = 20\n",
                    StandardOpenOption.APPEND);
            Files.writeString(layout.pgpass(), "127.0.0.1:" + layout.ports().pg() + ":*:postgres:" + password + "\n");
            Files.setPosixFilePermissions(layout.pgpass(), PosixFilePermissions.fromString("rw-------"));
        } catch (IOException e) {
            throw CommandFailure.of(ExitCode.SYSTEM, "cannot configure " + layout.dataDir() + ": " + e);
        }
    }

    /** Runs a set-up command with its output in {@code <dir>/<log>}; its exit code (-1: timed out or not started). */
    private static int run(List<String> argv, DemoLayout layout, String log) {
        try {
            Process p = new ProcessBuilder(argv).directory(layout.dir().toFile()).redirectErrorStream(true)
                    .redirectOutput(layout.dir().resolve(log).toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            if (!p.waitFor(INITDB_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return -1;
            }
            return p.exitValue();
        } catch (IOException e) {
            throw CommandFailure.of(ExitCode.SYSTEM, "cannot run " + argv.get(0) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CommandFailure.of(ExitCode.SYSTEM, "interrupted while running " + argv.get(0));
        }
    }

    /** The major version initdb wrote (PG_VERSION), for the operator. */
    static String version(DemoLayout layout) {
        try {
            return Files.readString(layout.dataDir().resolve("PG_VERSION")).strip();
        } catch (IOException e) {
            return "?";
        }
    }

    /** The postmaster of postmaster.pid while it is a live postgres process. */
    static OptionalLong postmaster(Path dataDir) {
        try {
            String first = Files.readAllLines(dataDir.resolve("postmaster.pid"), StandardCharsets.UTF_8).get(0).strip();
            long pid = Long.parseLong(first);
            boolean postgres = ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                    .flatMap(h -> h.info().command()).map(c -> c.endsWith("/postgres")).orElse(false);
            return postgres ? OptionalLong.of(pid) : OptionalLong.empty();
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    /** SIGKILLs what still runs of the instance (postmaster and its children); its pid, if one ran. */
    static OptionalLong kill(Path dataDir) {
        OptionalLong pid = postmaster(dataDir);
        pid.ifPresent(p -> ProcessHandle.of(p).ifPresent(DemoProcesses::killTree));
        return pid;
    }
}
