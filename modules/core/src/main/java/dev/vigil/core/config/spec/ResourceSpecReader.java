package dev.vigil.core.config.spec;

import dev.vigil.core.ResourceType;
import dev.vigil.core.config.ConfigReader;
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
        if (address != null && !Addresses.isIpv4(address)) {
            r.problem("address", "'" + address + "' is not an IPv4 address such as 10.200.0.100");
            address = null;
        }
        for (String p : pingList) {
            if (!Addresses.isIpv4(p)) {
                r.problem("ping-list", "'" + p + "' is not an IPv4 address");
            }
        }
        if (address == null || prefix == null || iface == null) {
            return null;
        }
        return new IpSpec(address, prefix, iface, pingList);
    }

    private static FilesystemSpec filesystem(ConfigReader r) {
        String device = r.string("device");
        String mountPoint = r.string("mount-point");
        String fsType = r.string("fs-type");
        String options = r.string("options");
        Boolean fsck = r.bool("fsck");
        if (device != null && !device.startsWith("/")) {
            r.problem("device", "must be an absolute path such as /dev/sdb1, not '" + device + "'");
            device = null;
        }
        if (mountPoint != null && !mountPoint.startsWith("/")) {
            r.problem("mount-point", "must be an absolute path such as /share, not '" + mountPoint + "'");
            mountPoint = null;
        }
        if (device == null || mountPoint == null || fsType == null || options == null || fsck == null) {
            return null;
        }
        return new FilesystemSpec(device, mountPoint, fsType, options, fsck);
    }

    private static PostgresqlSpec postgresql(ConfigReader r) {
        String dataDir = r.string("data-dir");
        Integer port = r.integer("port", 1, 65535);
        String osUser = r.string("os-user");
        String binDir = r.string("bin-dir");
        String superuser = r.string("superuser");
        Optional<String> passwordFile = r.optionalString("password-file");
        if (dataDir != null && !dataDir.startsWith("/")) {
            r.problem("data-dir", "must be an absolute path, not '" + dataDir + "'");
            dataDir = null;
        }
        if (dataDir == null || port == null || osUser == null || binDir == null || superuser == null) {
            return null;
        }
        return new PostgresqlSpec(dataDir, port, osUser, binDir, superuser, passwordFile);
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
}
