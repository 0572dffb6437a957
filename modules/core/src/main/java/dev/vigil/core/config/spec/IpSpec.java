package dev.vigil.core.config.spec;

import java.time.Duration;
import java.util.List;

/**
 * A virtual IP address: {@code address/prefixLength} on {@code interfaceName}, checked by pinging
 * every address of {@code pingList} (empty: only check that the address is still configured).
 *
 * @param pingTries     rounds over the ping list before the check fails (the original's IP_PINGTRIES)
 * @param pingTimeout   how long one ping waits for its answer, whole seconds (IP_PINGTIME)
 * @param checkUnique   refuse to bring the address up when another host answers for it (NOIPUNIQUE = 0)
 * @param dadWait       how long that duplicate-address check listens for an answer to its ARP probe
 * @param announceCount gratuitous ARP packets sent after the address is added, one second apart, in
 *                      the background (the first at once; the restore does not wait for the others)
 */
public record IpSpec(String address, int prefixLength, String interfaceName, List<String> pingList,
                     int pingTries, Duration pingTimeout, boolean checkUnique, Duration dadWait, int announceCount)
        implements ResourceSpec {

    public IpSpec {
        pingList = List.copyOf(pingList);
    }

    @Override
    public String id() {
        return "IP-" + address;
    }

    @Override
    public String info() {
        return interfaceName + " " + address + "/" + prefixLength;
    }
}
