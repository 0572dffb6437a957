package dev.vigil.core;

/**
 * The kinds of resource Vigil protects. {@code configName} is the value of {@code type} in the
 * configuration; {@code app} and {@code kitType} are what the original product prints in the
 * detailed status ({@code app=database type=pgsql}); {@code eventClass} is the class named in
 * recovery events and log lines ({@code RECOVERY class=powergres event=recover ...}).
 */
public enum ResourceType {
    IP("ip", "comm", "ip", "ip"),
    FILESYSTEM("filesystem", "gen", "filesys", "filesys"),
    POSTGRESQL("postgresql", "database", "pgsql", "powergres"),
    GENERIC("generic", "gen", "app", "gen");

    private final String configName;
    private final String app;
    private final String kitType;
    private final String eventClass;

    ResourceType(String configName, String app, String kitType, String eventClass) {
        this.configName = configName;
        this.app = app;
        this.kitType = kitType;
        this.eventClass = eventClass;
    }

    public String configName() {
        return configName;
    }

    public String app() {
        return app;
    }

    public String kitType() {
        return kitType;
    }

    public String eventClass() {
        return eventClass;
    }

    public static java.util.Optional<ResourceType> fromConfigName(String name) {
        for (ResourceType t : values()) {
            if (t.configName.equals(name)) {
                return java.util.Optional.of(t);
            }
        }
        return java.util.Optional.empty();
    }
}
