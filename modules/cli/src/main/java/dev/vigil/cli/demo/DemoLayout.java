package dev.vigil.cli.demo;

import com.typesafe.config.ConfigUtil;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where one demo lives: its directory tree (one home per server with its configuration, state
 * and logs; PostgreSQL's data directory; the password files) and its ports; and the
 * configuration each server reads.
 */
record DemoLayout(Path dir, DemoPorts ports) {
    static final List<String> SERVERS = List.of("n1", "n2", "n3");
    /** The hierarchy, and its one resource: PostgreSQL. */
    static final String TAG = "pg-demo";

    /** 1 for n1: the server's number in ports and its priority. */
    static int index(String server) {
        int i = SERVERS.indexOf(server);
        if (i < 0) {
            throw new IllegalArgumentException("not a demo server: " + server);
        }
        return i + 1;
    }

    Path home(String server) {
        return dir.resolve(server);
    }

    Path config(String server) {
        return home(server).resolve("vigil.conf");
    }

    Path stateDir(String server) {
        return home(server).resolve("state");
    }

    Path logDir(String server) {
        return home(server).resolve("log");
    }

    /** Owned by PostgreSQL's OS user; the data directory inside it. */
    Path pgRoot() {
        return dir.resolve("pg");
    }

    Path dataDir() {
        return pgRoot().resolve("data");
    }

    /** The superuser's password as a .pgpass line: the daemons' health check reads it, psql can too. */
    Path pgpass() {
        return dir.resolve("pgpass");
    }

    Path guiUsers() {
        return dir.resolve("gui-users");
    }

    /** The configuration of {@code server}: the same cluster and hierarchy on all three. */
    String configText(String server, Path pgBin, String osUser) {
        StringBuilder servers = new StringBuilder();
        List<String> heartbeats = new ArrayList<>();
        List<String> priorities = new ArrayList<>();
        for (String s : SERVERS) {
            servers.append("      { name = ").append(s).append(", host = \"127.0.0.1\", port = ").append(ports.cluster(s))
                    .append(" }\n");
            heartbeats.add(s + " = \"127.0.0.1:" + ports.heartbeat(s) + "\"");
            priorities.add(s + " = " + index(s));
        }
        return """
                # Written by vigil demo: server %1$s of a three-server cluster on this machine.
                # Everything listens on 127.0.0.1 only. The hierarchy has no virtual IP and no shared disk:
                # the servers share this machine, and so the data directory.
                vigil {
                  server = %1$s
                  state-dir = %2$s
                  cluster {
                    name = vigil-demo
                    servers = [
                %3$s    ]
                    # A second comm path (UDP heartbeats): a server is DEAD only when both are down.
                    comm-paths = [ { name = lan2, addresses { %4$s } } ]
                    # No lease-device: the three servers decide by majority. The fencing guard stays on:
                    # it can only kill this hierarchy's postmaster (there is no address or mount to fence).
                    fencing.guard = true
                  }
                  admin.port = %5$d
                  logs.dir = %6$s
                  gui { port = %7$d, bind = "127.0.0.1", users-file = %8$s }
                  hierarchies = [
                    {
                      tag = "%9$s"
                      priorities { %10$s }
                      resources = [
                        { tag = "%9$s", type = postgresql, data-dir = %11$s, port = %12$d,
                          os-user = %13$s, bin-dir = %14$s, password-file = %15$s }
                      ]
                    }
                  ]
                }
                """.formatted(server, quote(stateDir(server)), servers, String.join(", ", heartbeats),
                ports.admin(server), quote(logDir(server)), ports.gui(server), quote(guiUsers()), TAG,
                String.join(", ", priorities), quote(dataDir()), ports.pg(), quote(osUser), quote(pgBin),
                quote(pgpass()));
    }

    private static String quote(Object value) {
        return ConfigUtil.quoteString(value.toString());
    }
}
