package dev.vigil.cli;

import dev.vigil.core.LogType;
import dev.vigil.core.config.SnmpSettings;
import dev.vigil.core.config.VigilConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code lk_configsnmp IP…}: sets where the daemon sends its SNMP traps (the original's
 * LK_TRAP_MGR), with the community and version, by writing {@code conf.d/snmp.conf} beside the
 * configuration file. The new file is checked by the configuration loader with the rest of the
 * configuration, and taken back when anything is wrong, so the daemon never finds a file it
 * cannot start with. Each change is logged in the SNMP log. A running daemon picks it up within
 * a few seconds.
 */
@Command(name = "lk_configsnmp", sortOptions = false, separator = " ",
        customSynopsis = {"${COMMAND-FULL-NAME} [-c FILE] [--community NAME] [--version v1|v2c] DEST...",
                "${COMMAND-FULL-NAME} [-c FILE] --clear", "${COMMAND-FULL-NAME} [-c FILE] [--list]"},
        description = {"Set the servers that receive Vigil's SNMP traps (DEST: an IPv4 address or host name, "
                + "optionally :port; 162 by default), replacing the ones set before.",
                "Writes conf.d/snmp.conf beside the configuration file; a running daemon uses it within 5 s.",
                "Without DEST, --clear or --version/--community, prints the current settings."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:settings written (or printed)", "1:the file cannot be written",
                "2:bad destination, option or configuration (nothing is changed)"})
public final class LkConfigSnmp implements Callable<Integer> {
    /** The file this command owns, in the conf.d directory beside the configuration file. */
    static final String FILE = "snmp.conf";

    private final CliContext ctx;

    @Mixin
    HelpOption help;

    @Mixin
    ConfigOption config;

    @Option(names = "--community", paramLabel = "NAME", description = "Community of the traps (default: public).")
    String community;

    @Option(names = "--version", paramLabel = "v1|v2c", description = "SNMP version of the traps (default: v2c).")
    String version;

    @ArgGroup(exclusive = true)
    Mode mode;

    static final class Mode {
        @Option(names = "--clear", description = "Send no trap any more (removes every destination).")
        boolean clear;

        @Option(names = "--list", description = "Print the destinations, community and version (the default).")
        boolean list;
    }

    @Parameters(arity = "0..*", paramLabel = "DEST", description = "Trap receiver: host or host:port.")
    List<String> destinations = new ArrayList<>();

    public LkConfigSnmp(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        boolean clear = mode != null && mode.clear;
        boolean list = mode != null && mode.list;
        if ((clear || list) && !destinations.isEmpty()) {
            throw CommandFailure.of(ExitCode.USAGE, (clear ? "--clear" : "--list") + " takes no destination");
        }
        if (list && (community != null || version != null)) {
            throw CommandFailure.of(ExitCode.USAGE, "--list changes nothing: leave out --community and --version");
        }
        for (String d : destinations) {
            try {
                SnmpSettings.Destination.parse(d);
            } catch (IllegalArgumentException e) {
                throw CommandFailure.of(ExitCode.USAGE, "destination " + e.getMessage());
            }
        }
        Path main = config.path(ctx);
        VigilConfig before = config.load(ctx);
        if (list || (!clear && destinations.isEmpty() && community == null && version == null)) {
            print(before.snmp());
            return ExitCode.OK;
        }
        List<String> newDestinations = clear ? List.of() : destinations.isEmpty()
                ? before.snmp().destinations().stream().map(SnmpSettings.Destination::toString).toList() : destinations;
        String newCommunity = community != null ? community : before.snmp().community();
        String newVersion = version != null ? version.toLowerCase(Locale.ROOT)
                : before.snmp().version().name().toLowerCase(Locale.ROOT);
        VigilConfig after = replace(main, text(newDestinations, newCommunity, newVersion));
        String action = after.snmp().destinations().isEmpty() ? "trap destinations cleared"
                : "trap destinations set to " + after.snmp().destinations().stream().map(Object::toString)
                .collect(Collectors.joining(", "));
        LogLine.append(after, LogType.SNMP, ctx.zone(), "lk_configsnmp: " + action
                + " (community " + after.snmp().community() + ", " + after.snmp().version().name().toLowerCase(Locale.ROOT)
                + ")");
        print(after.snmp());
        return ExitCode.OK;
    }

    private void print(SnmpSettings s) {
        ctx.out().println("destinations: " + (s.destinations().isEmpty() ? "(none: no trap is sent)"
                : s.destinations().stream().map(Object::toString).collect(Collectors.joining(" "))));
        ctx.out().println("community:    " + s.community());
        ctx.out().println("version:      " + s.version().name().toLowerCase(Locale.ROOT));
    }

    static String text(List<String> destinations, String community, String version) {
        return "# Written by lk_configsnmp: where Vigil sends its SNMP traps (see lk_configsnmp(8), docs/snmp.md).\n"
                + "vigil.snmp {\n"
                + "  destinations = [" + destinations.stream().map(LkConfigSnmp::quoted).collect(Collectors.joining(", "))
                + "]\n"
                + "  community = " + quoted(community) + "\n"
                + "  version = " + quoted(version) + "\n"
                + "}\n";
    }

    private static String quoted(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /**
     * Puts {@code text} in conf.d/snmp.conf (atomically), loads the whole configuration, and puts
     * the previous file back when it has any problem.
     */
    private VigilConfig replace(Path main, String text) {
        Path dir = main.toAbsolutePath().resolveSibling("conf.d");
        Path file = dir.resolve(FILE);
        try {
            Files.createDirectories(dir);
            Optional<String> previous = Files.exists(file) ? Optional.of(Files.readString(file)) : Optional.empty();
            write(file, text);
            try {
                return ConfigOption.load(main);
            } catch (CommandFailure problems) {
                if (previous.isPresent()) {
                    write(file, previous.get());
                } else {
                    Files.delete(file);
                }
                throw problems;
            }
        } catch (IOException e) {
            throw CommandFailure.of(ExitCode.SYSTEM, "cannot write " + file + ": " + IoReason.of(e));
        }
    }

    /** Writes a temporary file beside {@code file} (not read by the loader: it ends in .tmp) and renames it. */
    private static void write(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.writeString(tmp, text);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
