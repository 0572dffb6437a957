package dev.vigil.gui;

import dev.vigil.core.users.Role;

/** Who sent a request: a logged-in user, the role the users file gives it now, its session. */
public record Caller(String user, Role role, Sessions.Session session) {

    /** "user 'ann' (operator)", as refusals and the GUI log name a user. */
    public String who() {
        return "user '" + user + "' (" + role.word() + ")";
    }
}
