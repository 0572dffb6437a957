package dev.vigil.kits;

import java.util.List;

/**
 * Everything {@link Kits#create} needs besides the resource's own configuration: the command
 * prefix every kit command runs behind (empty on a real server; {@code ip netns exec n1} or
 * {@code nsenter -t PID -n -m} to act inside another namespace) and each kit's tunables.
 */
public record KitOptions(List<String> commandPrefix, IpKitOptions ip, FilesystemKitOptions filesystem,
                         PostgresqlKitOptions postgresql, GenericKitOptions generic) {
    public KitOptions {
        commandPrefix = List.copyOf(commandPrefix);
    }

    public static KitOptions defaults() {
        return new KitOptions(List.of(), IpKitOptions.defaults(), FilesystemKitOptions.defaults(),
                PostgresqlKitOptions.defaults(), GenericKitOptions.defaults());
    }

    public KitOptions withCommandPrefix(List<String> prefix) {
        return new KitOptions(prefix, ip, filesystem, postgresql, generic);
    }

    public KitOptions withIp(IpKitOptions o) {
        return new KitOptions(commandPrefix, o, filesystem, postgresql, generic);
    }

    public KitOptions withFilesystem(FilesystemKitOptions o) {
        return new KitOptions(commandPrefix, ip, o, postgresql, generic);
    }

    public KitOptions withPostgresql(PostgresqlKitOptions o) {
        return new KitOptions(commandPrefix, ip, filesystem, o, generic);
    }

    public KitOptions withGeneric(GenericKitOptions o) {
        return new KitOptions(commandPrefix, ip, filesystem, postgresql, o);
    }
}
