package dev.vigil.kits;

import dev.vigil.core.ResourceType;

/**
 * A failure event a check raises, named as the original product names them: {@code ip,pingfail},
 * {@code powergres,recover}. The daemon logs {@code RECOVERY class=<eventClass> event=<name> ...}.
 */
public record KitEvent(String eventClass, String name) {

    public static KitEvent of(ResourceType type, String name) {
        return new KitEvent(type.eventClass(), name);
    }

    @Override
    public String toString() {
        return eventClass + "," + name;
    }
}
