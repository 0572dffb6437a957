package dev.vigil.gui;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Logged-in users: a random session id (the HttpOnly, SameSite=Strict cookie {@link #COOKIE}) and,
 * per session, a random CSRF token that every state-changing request must send back in the
 * {@link #CSRF_HEADER} header (a page of another site can make the browser send the cookie, but
 * cannot read the token). A session ends at logout or after {@code timeout} without a request.
 * The role is not kept here: it is read from the users file at each request, so {@code lkpasswd}
 * takes effect at once.
 */
public final class Sessions {
    public static final String COOKIE = "vigil_session";
    public static final String CSRF_HEADER = "X-Vigil-CSRF";
    private static final SecureRandom RANDOM = new SecureRandom();

    public record Session(String id, String user, String csrfToken, Instant lastSeen) {
    }

    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Duration timeout;
    private final Clock clock;

    public Sessions(Duration timeout, Clock clock) {
        this.timeout = timeout;
        this.clock = clock;
    }

    public Session create(String user) {
        Session s = new Session(random(), user, random(), clock.instant());
        sessions.put(s.id(), s);
        return s;
    }

    /** The live session of {@code id}, its idle time restarted; empty when unknown or expired. */
    public Optional<Session> touch(String id) {
        if (id == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        sessions.values().removeIf(s -> s.lastSeen().plus(timeout).isBefore(now));
        Session s = sessions.computeIfPresent(id, (k, old) -> new Session(old.id(), old.user(), old.csrfToken(), now));
        return Optional.ofNullable(s);
    }

    public void end(String id) {
        if (id != null) {
            sessions.remove(id);
        }
    }

    private static String random() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
