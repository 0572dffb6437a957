package dev.vigil.core.config.spec;

import java.util.Optional;

/**
 * A generic application driven by user scripts: restore (start), remove (stop), quickCheck
 * (health) and optionally recover (local repair). {@code appInfo} is passed to every script.
 */
public record GenericSpec(String restoreScript, String removeScript, String quickCheckScript,
                          Optional<String> recoverScript, String appInfo) implements ResourceSpec {

    @Override
    public String id() {
        return restoreScript;
    }

    @Override
    public String info() {
        return appInfo;
    }
}
