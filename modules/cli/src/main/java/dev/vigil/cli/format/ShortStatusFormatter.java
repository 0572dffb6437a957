package dev.vigil.cli.format;

import dev.vigil.core.status.ClusterStatus;
import dev.vigil.core.status.CommPathStatus;
import dev.vigil.core.status.HierarchyInfo;
import dev.vigil.core.status.ResourceInfo;
import dev.vigil.core.status.ServerStatus;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The short status of {@code lcdstatus -q} and {@code -e}: one row per resource
 * ({@code LOCAL TAG ID STATE PRIO PRIMARY}, children indented one space per level under their
 * parent), a blank line, then one row per comm path ({@code MACHINE NETWORK ADDRESSES/DEVICE
 * STATE PRIO}; network paths, TCP or UDP, show their priority, serial ones {@code --}). Operator
 * scripts parse these rows, so the shape follows the original exactly.
 */
public final class ShortStatusFormatter {

    /** What the first column holds: the server shown ({@code -q}) or the next server by priority ({@code -e}). */
    public enum FirstColumn {
        LOCAL, BACKUP
    }

    private static final String NO_BACKUP = "------";

    private final ZoneId zone;

    public ShortStatusFormatter(ZoneId zone) {
        this.zone = zone;
    }

    /** {@code server}'s view; {@code rootTag} restricts it to one hierarchy. Lines end with a newline. */
    public String format(ClusterStatus status, String server, Optional<String> rootTag, FirstColumn first) {
        ServerStatus shown = status.server(server).orElseThrow();
        List<String> lines = new ArrayList<>();
        StatusFacts.deadNote(shown, zone).ifPresent(lines::add);

        TextTable resources = new TextTable(6).rightAlign(4);
        resources.add(first.name(), "TAG", "ID", "STATE", "PRIO", "PRIMARY");
        for (HierarchyInfo h : StatusFacts.hierarchiesOf(status, server, rootTag)) {
            String firstCell = first == FirstColumn.LOCAL ? server
                    : StatusFacts.backupAfter(h, server).orElse(NO_BACKUP);
            for (ResourceInfo r : StatusFacts.list(h.resources())) {
                resources.add(firstCell, " ".repeat(r.depth()) + r.tag(), r.id(),
                        StatusFacts.resourceOn(shown, r.tag()).state().name(),
                        Integer.toString(StatusFacts.priority(h, server)), StatusFacts.primary(h));
            }
        }
        lines.addAll(resources.lines());
        lines.add("");

        TextTable paths = new TextTable(5).rightAlign(4);
        paths.add("MACHINE", "NETWORK", "ADDRESSES/DEVICE", "STATE", "PRIO");
        for (CommPathStatus p : StatusFacts.list(shown.commPaths())) {
            paths.add(p.to(), p.type(), p.localAddress() + "/" + p.remoteAddress(), p.state().name(),
                    "TTY".equals(p.type()) ? "--" : Integer.toString(p.priority()));
        }
        lines.addAll(paths.lines());
        return String.join("\n", lines) + "\n";
    }
}
