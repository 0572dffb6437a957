package dev.vigil.core.config.spec;

import java.util.List;

/**
 * A virtual IP address: {@code address/prefixLength} on {@code interfaceName}, checked by pinging
 * every address of {@code pingList} (empty: only check that the address is still configured).
 */
public record IpSpec(String address, int prefixLength, String interfaceName, List<String> pingList) implements ResourceSpec {

    @Override
    public String id() {
        return "IP-" + address;
    }

    @Override
    public String info() {
        return interfaceName + " " + address + "/" + prefixLength;
    }
}
