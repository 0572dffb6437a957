package dev.vigil.core;

/**
 * The state of one resource on one server, with the exact spellings of the original product
 * (they are part of the interface: scripts parse them). The GUI word is what the web console
 * shows for a server/resource cell.
 */
public enum ResourceState {
    ISP("In-Service, Protected", "Active"),
    ISU("In-Service, Unprotected", "Degraded"),
    OSU("Out-of-Service, Unimpaired", "StandBy"),
    OSF("Out-of-Service, Failed", "Failed"),
    ILLSTATE("Illegal/Undefined state", "Unknown");

    private final String description;
    private final String guiWord;

    ResourceState(String description, String guiWord) {
        this.description = description;
        this.guiWord = guiWord;
    }

    public String description() {
        return description;
    }

    public String guiWord() {
        return guiWord;
    }

    /** In service, protected or not. */
    public boolean inService() {
        return this == ISP || this == ISU;
    }
}
