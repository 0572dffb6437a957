package dev.vigil.daemon.notify;

import java.util.List;
import java.util.Optional;

/**
 * One SNMP trap of the original's event table: its number (the last arc of its OID
 * {@code .1.3.6.1.4.1.7359.1.0.<number>}), the message text (varbind {@code .1.3.6.1.4.1.7359.1.1})
 * and, depending on the number, the resource tag (.1.2, traps 130-132), the recovered list (.1.3,
 * 111 and 121) or the failed list (.1.4, 112 and 122).
 */
public record Trap(int number, String message, Optional<String> resourceTag, Optional<String> recovered,
                   Optional<String> failed) {

    /** The enterprise of the original product (SIOS / SteelEye, 7359) and its LifeKeeper subtree. */
    public static final String ENTERPRISE = "1.3.6.1.4.1.7359.1";
    public static final String MESSAGE_OID = ENTERPRISE + ".1";
    public static final String RESOURCE_OID = ENTERPRISE + ".2";
    public static final String RECOVERED_OID = ENTERPRISE + ".3";
    public static final String FAILED_OID = ENTERPRISE + ".4";

    /** The fourteen trap numbers, in the manual's order. */
    public static final List<Integer> NUMBERS = List.of(100, 101, 102, 110, 111, 112, 120, 121, 122, 130, 131, 132,
            140, 141);

    public static Trap plain(int number, String message) {
        return new Trap(number, message, Optional.empty(), Optional.empty(), Optional.empty());
    }

    public static Trap resource(int number, String message, String tag) {
        return new Trap(number, message, Optional.of(tag), Optional.empty(), Optional.empty());
    }

    public static Trap recovered(int number, String message, List<String> tags) {
        return new Trap(number, message, Optional.empty(), Optional.of(String.join(" ", tags)), Optional.empty());
    }

    public static Trap failed(int number, String message, List<String> tags) {
        return new Trap(number, message, Optional.empty(), Optional.empty(), Optional.of(String.join(" ", tags)));
    }

    /** {@code 1.3.6.1.4.1.7359.1.0.<number>}. */
    public String oid() {
        return ENTERPRISE + ".0." + number;
    }

    /** What the SNMP log adds after the message for traps that name resources ({@code :resource_string}). */
    public Optional<String> resourceString() {
        return resourceTag.or(() -> recovered).or(() -> failed);
    }
}
