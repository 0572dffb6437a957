package dev.vigil.kits.ip;

import dev.vigil.core.LogType;
import dev.vigil.core.ResourceType;
import dev.vigil.core.config.ActionTimeouts;
import dev.vigil.core.config.spec.IpSpec;
import dev.vigil.kits.ActionResult;
import dev.vigil.kits.CheckResult;
import dev.vigil.kits.FailureKind;
import dev.vigil.kits.KitEvent;
import dev.vigil.kits.Presence;
import dev.vigil.kits.RecoveryKit;
import dev.vigil.kits.process.CommandResult;
import dev.vigil.kits.process.CommandRunner;
import dev.vigil.kits.process.Deadline;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A virtual IP address: {@code ip addr add/del ADDRESS/PREFIX dev IFACE}. Before adding, refuses an
 * address another host already answers for (a duplicate is a configuration error, not a
 * takeover); after adding, announces it with gratuitous ARP. The check wants the address on the
 * interface, the link up, and — with a ping list — one listed host answering a ping sent from the
 * address. In the daemon's own network namespace the first two are read in the JVM (see
 * {@link NetInterface}): without a ping list, a check starts no process. Events:
 * {@code ip,addrfail}, {@code ip,linkfail}, {@code ip,pingfail}.
 */
public final class IpKit implements RecoveryKit {
    private static final Logger LOG = LoggerFactory.getLogger(LogType.LOG.loggerName());
    private static final Duration LINK_WAIT = Duration.ofSeconds(5);
    private static final long LINK_POLL_MILLIS = 200;
    /** Runs the gratuitous ARPs, which nobody waits for (daemon threads, one per announcement at most). */
    private static final java.util.concurrent.Executor ANNOUNCER = java.util.concurrent.Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "vigil-arp-announce");
        t.setDaemon(true);
        return t;
    });

    private final String tag;
    private final IpSpec spec;
    private final ActionTimeouts timeouts;
    private final NetInterface iface;
    private final Arping arping;

    public IpKit(String tag, IpSpec spec, ActionTimeouts timeouts, CommandRunner runner) {
        this.tag = tag;
        this.spec = spec;
        this.timeouts = timeouts;
        this.iface = new NetInterface(runner, spec.interfaceName());
        this.arping = new Arping(runner);
    }

    private String cidr() {
        return spec.address() + "/" + spec.prefixLength();
    }

    @Override
    public ActionResult restore() {
        return bringUp(Deadline.after(timeouts.restore()), false);
    }

    /** Link check, duplicate check, add, announce — shared by restore and recover. */
    private ActionResult bringUp(Deadline d, boolean waitForLink) {
        NetInterface.LinkState link = waitForLink ? awaitLink(d) : iface.link(d);
        switch (link.link()) {
            case MISSING:
                return ActionResult.failed(FailureKind.NOT_AVAILABLE_HERE,
                        "interface " + iface.name() + " does not exist on this server");
            case DOWN:
                return ActionResult.failed(FailureKind.NOT_AVAILABLE_HERE,
                        "link of " + iface.name() + " is down " + link.detail() + ": cannot bring up " + cidr());
            case UNKNOWN:
                return ActionResult.failed(d.timedOutOr(FailureKind.FAILED),
                        "cannot read the state of " + iface.name() + " " + link.detail());
            default:
                break;
        }
        NetInterface.AddressState present = iface.has(spec.address(), spec.prefixLength(), d);
        if (!present.error().isEmpty()) {
            return ActionResult.failed(d.timedOutOr(FailureKind.FAILED), present.error());
        }
        if (present.present()) {
            return ActionResult.success(cidr() + " already on " + iface.name() + announce());
        }
        if (spec.checkUnique()) {
            Arping.Probe probe = arping.probe(iface.name(), spec.address(), spec.dadWait(), d);
            if (probe.error().isPresent()) {
                return ActionResult.failed(d.timedOutOr(FailureKind.FAILED),
                        "cannot check that " + spec.address() + " is unused: " + probe.error().get());
            }
            if (probe.inUse()) {
                return ActionResult.failed(FailureKind.MISCONFIGURED, "address " + spec.address()
                        + " is already in use on the network (" + probe.answer().orElse("a reply")
                        + "): refusing to bring it up on " + iface.name() + "; find the host that holds it");
            }
        }
        CommandResult added = iface.add(spec.address(), spec.prefixLength(), d);
        if (!added.succeeded() && !added.output().contains("File exists")) {
            return ActionResult.failed(added.timedOut() ? FailureKind.TIMED_OUT : FailureKind.FAILED,
                    "cannot add " + cidr() + " to " + iface.name() + ": " + added.describe());
        }
        LOG.info("{}: added {} to {}", tag, cidr(), iface.name());
        return ActionResult.success("added " + cidr() + " to " + iface.name() + announce());
    }

    /**
     * Gratuitous ARP, in the background: the first packet leaves at once, the others one second
     * apart, and nothing waits for them (clients reconnect as soon as the first one lands). A
     * failure to announce is logged; the address is up either way.
     */
    private String announce() {
        if (spec.announceCount() == 0) {
            return "";
        }
        Duration limit = Duration.ofSeconds(spec.announceCount() + 3L);
        if (arping.flavour(Deadline.after(limit)) == Arping.Flavour.NONE) {
            LOG.warn("{}: no gratuitous ARP for {} on {}: {}", tag, spec.address(), iface.name(), Arping.MISSING);
            return "; gratuitous ARP failed: " + Arping.MISSING;
        }
        ANNOUNCER.execute(() -> arping.announce(iface.name(), spec.address(), spec.announceCount(), Deadline.after(limit))
                .ifPresent(problem -> LOG.warn("{}: gratuitous ARP for {} on {} failed: {}", tag, spec.address(),
                        iface.name(), problem)));
        return "; announcing it by gratuitous ARP";
    }

    @Override
    public ActionResult remove() {
        Deadline d = Deadline.after(timeouts.remove());
        NetInterface.AddressState present = iface.has(spec.address(), spec.prefixLength(), d);
        if (!present.error().isEmpty()) {
            return ActionResult.failed(d.timedOutOr(FailureKind.FAILED), present.error());
        }
        if (!present.present()) {
            return ActionResult.success(cidr() + " is not on " + iface.name());
        }
        CommandResult deleted = iface.delete(spec.address(), spec.prefixLength(), d);
        if (!deleted.succeeded() && !deleted.output().contains("Cannot assign requested address")) {
            return ActionResult.failed(deleted.timedOut() ? FailureKind.TIMED_OUT : FailureKind.FAILED,
                    "cannot remove " + cidr() + " from " + iface.name() + ": " + deleted.describe());
        }
        LOG.info("{}: removed {} from {}", tag, cidr(), iface.name());
        return ActionResult.success("removed " + cidr() + " from " + iface.name());
    }

    @Override
    public CheckResult quickCheck() {
        return check(Deadline.after(timeouts.quickCheck()));
    }

    private CheckResult check(Deadline d) {
        NetInterface.AddressState present = iface.has(spec.address(), spec.prefixLength(), d);
        if (!present.error().isEmpty()) {
            return CheckResult.failed(event("addrfail"), d.timedOutOr(FailureKind.FAILED), present.error());
        }
        if (!present.present()) {
            return CheckResult.failed(event("addrfail"), FailureKind.FAILED,
                    cidr() + " is no longer configured on " + iface.name());
        }
        NetInterface.LinkState link = iface.link(d);
        if (link.link() != NetInterface.Link.UP) {
            return CheckResult.failed(event("linkfail"), d.timedOutOr(FailureKind.FAILED),
                    "link of " + iface.name() + " is " + link.link().name().toLowerCase(java.util.Locale.ROOT)
                            + " " + link.detail());
        }
        if (spec.pingList().isEmpty()) {
            return CheckResult.healthy();
        }
        for (int round = 0; round < spec.pingTries() && !d.expired(); round++) {
            for (String target : spec.pingList()) {
                if (iface.ping(spec.address(), target, spec.pingTimeout(), d)) {
                    return CheckResult.healthy();
                }
            }
        }
        return CheckResult.failed(event("pingfail"), d.timedOutOr(FailureKind.FAILED),
                "no host of the ping list (" + String.join(", ", spec.pingList()) + ") answered "
                        + spec.pingTries() + " tries of ping from " + spec.address());
    }

    @Override
    public ActionResult recover() {
        Deadline d = Deadline.after(timeouts.recover());
        ActionResult up = bringUp(d, true);
        if (!up.succeeded()) {
            return up;
        }
        CheckResult again = check(d);
        if (again.isHealthy()) {
            return ActionResult.success("recovered: " + up.message());
        }
        return ActionResult.failed(again.failure().orElseThrow());
    }

    @Override
    public Presence probe() {
        Deadline d = Deadline.after(timeouts.quickCheck());
        NetInterface.AddressState present = iface.has(spec.address(), spec.prefixLength(), d);
        if (!present.error().isEmpty()) {
            return Presence.FAILED;
        }
        if (!present.present()) {
            return Presence.STOPPED;
        }
        return iface.link(d).link() == NetInterface.Link.UP ? Presence.RUNNING : Presence.FAILED;
    }

    /**
     * Waits briefly for a link that is down (a switch port flapping) before giving up on it: at
     * most {@code LINK_WAIT} and half the action's remaining time, so the rest can still run.
     */
    private NetInterface.LinkState awaitLink(Deadline d) {
        Duration half = d.remaining().dividedBy(2);
        Deadline wait = Deadline.after(half.compareTo(LINK_WAIT) < 0 ? half : LINK_WAIT);
        NetInterface.LinkState link = iface.link(d);
        while (link.link() == NetInterface.Link.DOWN && !wait.expired()) {
            try {
                Thread.sleep(LINK_POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            link = iface.link(d);
        }
        return link;
    }

    private static KitEvent event(String name) {
        return KitEvent.of(ResourceType.IP, name);
    }
}
