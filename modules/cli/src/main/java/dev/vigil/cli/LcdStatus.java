package dev.vigil.cli;

import dev.vigil.cli.format.ClusterSummary;
import dev.vigil.cli.format.DetailedStatusFormatter;
import dev.vigil.cli.format.ShortStatusFormatter;
import dev.vigil.cli.format.ShortStatusFormatter.FirstColumn;
import dev.vigil.core.status.ClusterStatus;
import dev.vigil.core.status.HierarchyInfo;
import dev.vigil.core.status.ResourceInfo;
import dev.vigil.core.status.ServerStatus;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code lcdstatus [-q] [-e] [-d SERVER] [-r ROOT_TAG]}: the cluster status from the daemon's
 * admin API, in the original's detailed or short layout. {@code -d} shows another server's view
 * from the status replicated to this one.
 */
@Command(name = "lcdstatus", sortOptions = false, customSynopsis = "${COMMAND-FULL-NAME} [-q] [-e] [-d SERVER] [-r ROOT_TAG] [-c FILE]", separator = " ",
        description = {"Print the status of the Vigil cluster as this server knows it: resource hierarchies, "
                + "servers, comm paths, flags and shutdown strategy, then every hierarchy on every server.",
                "Without options, the detailed layout; -q and -e print the short layout."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:status printed", "1:the admin token file cannot be read or was rejected",
                "2:bad option or unusable configuration", "3:unexpected answer from the daemon",
                "7:unknown server (-d) or hierarchy (-r)", "9:the daemon is not running or does not answer"})
public class LcdStatus implements Callable<Integer> {

    protected final CliContext ctx;

    @Mixin
    HelpOption help;

    @Mixin
    ConfigOption config;

    @Option(names = "-q", description = "Short layout: LOCAL TAG ID STATE PRIO PRIMARY, then the comm paths.")
    boolean quick;

    @Option(names = "-e", description = "Short layout with BACKUP (next server by priority) as first column.")
    boolean backups;

    @Option(names = "-d", paramLabel = "SERVER", description = "Show SERVER's view (its last report) instead of this server's.")
    String server;

    @Option(names = "-r", paramLabel = "ROOT_TAG", description = "Only the hierarchy whose root is ROOT_TAG.")
    String rootTag;

    public LcdStatus(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        ClusterStatus status = new AdminClient(config.load(ctx).admin()).status();
        return print(status);
    }

    protected int print(ClusterStatus status) {
        String shown = server == null ? status.local() : server;
        if (status.server(shown).isEmpty()) {
            throw CommandFailure.of(ExitCode.NOT_FOUND, "unknown server '" + shown + "'; known servers: "
                    + String.join(", ", status.servers().stream().map(ServerStatus::name).toList()));
        }
        Optional<String> root = Optional.ofNullable(rootTag);
        root.ifPresent(tag -> checkRoot(status, tag));

        if (quick || backups) {
            FirstColumn first = backups ? FirstColumn.BACKUP : FirstColumn.LOCAL;
            ctx.out().print(new ShortStatusFormatter(ctx.zone()).format(status, shown, root, first));
            // Parsers read stdout; the warnings go to stderr so a person still sees them.
            ctx.out().flush();
            new ClusterSummary(ctx.zone()).warnings(status, root).forEach(ctx.err()::println);
        } else {
            ctx.out().print(new DetailedStatusFormatter(ctx.zone()).format(status, shown, root));
        }
        return ExitCode.OK;
    }

    private static void checkRoot(ClusterStatus status, String tag) {
        List<HierarchyInfo> hierarchies = status.hierarchies();
        if (hierarchies.stream().anyMatch(h -> h.tag().equals(tag))) {
            return;
        }
        Optional<HierarchyInfo> owner = hierarchies.stream()
                .filter(h -> h.resources().stream().map(ResourceInfo::tag).anyMatch(tag::equals)).findFirst();
        String known = hierarchies.isEmpty() ? "none" : String.join(", ", hierarchies.stream().map(HierarchyInfo::tag).toList());
        throw CommandFailure.of(ExitCode.NOT_FOUND, owner
                .map(h -> "'" + tag + "' is not the root of a hierarchy; it belongs to hierarchy '" + h.tag() + "'")
                .orElse("unknown hierarchy '" + tag + "'; known hierarchies: " + known));
    }
}
