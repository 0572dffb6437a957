package dev.vigil.core.config.spec;

import dev.vigil.core.ResourceType;
import dev.vigil.core.config.ConfigReader;
import java.time.Duration;
import java.util.Optional;

/**
 * Reads the type-specific keys of one resource entry. Defaults come from
 * {@code vigil.resource-defaults.<type>} in reference.conf, which the loader has already merged
 * under the entry. Returns {@code null} when a required key is missing (the problem is recorded).
 */
public final class ResourceSpecReader {
    private ResourceSpecReader() {
    }

    public static ResourceSpec read(ResourceType type, ConfigReader r) {
        return switch (type) {
            case IP -> ip(r);
            case FILESYSTEM -> filesystem(r);
            case POSTGRESQL -> postgresql(r);
            case GENERIC -> generic(r);
        };
    }

    private static IpSpec ip(ConfigReader r) {
        String address = r.string("address");
        Integer prefix = r.integer("prefix-length", 1, 32);
        String iface = r.string("interface");
        var pingList = r.stringList("ping-list");
        Integer pingTries = r.integer("ping-tries", 1, 100);
        Duration pingTimeout = wholeSeconds(r, "ping-timeout", Duration.ofSeconds(60), "ping -W");
        Boolean checkUnique = r.bool("check-unique");
        Duration dadWait = r.duration("dad-wait", Duration.ofMillis(50), Duration.ofSeconds(10));
        Integer announceCount = r.integer("announce-count", 0, 10);
        if (address != null && !Addresses.isIpv4(address)) {
            r.problem("address", "'" + address + "' is not an IPv4 address such as 10.200.0.100");
            address = null;
        }
        for (String p : pingList) {
            if (!Addresses.isIpv4(p)) {
                r.problem("ping-list", "'" + p + "' is not an IPv4 address");
            }
        }
        if (address == null || prefix == null || iface == null || pingTries == null || pingTimeout == null
                || checkUnique == null || dadWait == null || announceCount == null) {
            return null;
        }
        return new IpSpec(address, prefix, iface, pingList, pingTries, pingTimeout, checkUnique, dadWait,
                announceCount);
    }

    private static FilesystemSpec filesystem(ConfigReader r) {
        String device = r.string("device");
        String mountPoint = r.string("mount-point");
        String fsType = r.string("fs-type");
        String options = r.string("options");
        Boolean fsck = r.bool("fsck");
        Integer umountAttempts = r.integer("umount-attempts", 1, 20);
        Duration holderGrace = r.duration("holder-grace", Duration.ofMillis(100), Duration.ofMinutes(5));
        if (device != null && !device.startsWith("/")) {
            r.problem("device", "must be an absolute path such as /dev/sdb1, not '" + device + "'");
            device = null;
        }
        if (mountPoint != null && !mountPoint.startsWith("/")) {
            r.problem("mount-point", "must be an absolute path such as /share, not '" + mountPoint + "'");
            mountPoint = null;
        }
        if (device == null || mountPoint == null || fsType == null || options == null || fsck == null
                || umountAttempts == null || holderGrace == null) {
            return null;
        }
        return new FilesystemSpec(device, mountPoint, fsType, options, fsck, umountAttempts, holderGrace);
    }

    private static PostgresqlSpec postgresql(ConfigReader r) {
        String dataDir = r.string("data-dir");
        Integer port = r.integer("port", 1, 65535);
        String osUser = r.string("os-user");
        String binDir = r.string("bin-dir");
        String superuser = r.string("superuser");
        Optional<String> passwordFile = r.optionalString("password-file");
        Duration checkTimeout = wholeSeconds(r, "check-timeout", Duration.ofMinutes(5), "JDBC");
        Duration fastStop = r.duration("fast-stop-timeout", Duration.ofSeconds(1), Duration.ofHours(1));
        Optional<String> logFile = r.optionalString("log-file");
        boolean logFileOk = logFile.map(f -> f.startsWith("/")).orElse(true);
        if (!logFileOk) {
            r.problem("log-file", "must be an absolute path, not '" + logFile.get() + "'");
        }
        if (dataDir != null && !dataDir.startsWith("/")) {
            r.problem("data-dir", "must be an absolute path, not '" + dataDir + "'");
            dataDir = null;
        }
        if (dataDir == null || port == null || osUser == null || binDir == null || superuser == null
                || checkTimeout == null || fastStop == null || !logFileOk) {
            return null;
        }
        return new PostgresqlSpec(dataDir, port, osUser, binDir, superuser, passwordFile, checkTimeout, fastStop,
                logFile);
    }

    private static GenericSpec generic(ConfigReader r) {
        String restore = r.string("restore-script");
        String remove = r.string("remove-script");
        String quickCheck = r.string("quick-check-script");
        Optional<String> recover = r.optionalString("recover-script");
        String appInfo = r.text("app-info");
        if (restore == null || remove == null || quickCheck == null || appInfo == null) {
            return null;
        }
        return new GenericSpec(restore, remove, quickCheck, recover, appInfo);
    }

    /** A duration of whole seconds from 1 s to {@code max}: what {@code user} (a program) takes. */
    private static Duration wholeSeconds(ConfigReader r, String key, Duration max, String user) {
        Duration d = r.duration(key, Duration.ofSeconds(1), max);
        if (d != null && d.toMillis() % 1000 != 0) {
            r.problem(key, d.toMillis() + "ms is not a whole number of seconds (" + user
                    + " takes seconds); write e.g. " + Math.max(1, d.toSeconds()) + "s");
            return null;
        }
        return d;
    }
}
