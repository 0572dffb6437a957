package dev.vigil.core.users;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The GUI's users ({@code vigil.gui.users-file}, managed by {@code lkpasswd}): one line per user,
 * {@code NAME:ROLE:pbkdf2-sha256:ITERATIONS:SALT:HASH}, apart from the system's passwords. The file
 * is written whole to a temporary file of mode 0600 and moved into place, so a reader never sees
 * half of it and it is never readable by others.
 */
public final class UserFile {
    /** A user name: letters, digits, '.', '_' and '-', starting with a letter or digit, at most 32. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,31}");
    private static final String HEADER = "# Vigil GUI users, managed by lkpasswd: NAME:ROLE:pbkdf2-sha256:ITERATIONS:SALT:HASH";

    /** One user: its role and password hash. */
    public record User(String name, Role role, PasswordHash hash) {
    }

    private final Path file;
    private final Map<String, User> users;

    private UserFile(Path file, Map<String, User> users) {
        this.file = file;
        this.users = users;
    }

    /** Reads {@code file}; a missing file has no users. Bad lines throw with the file and line. */
    public static UserFile read(Path file) throws IOException {
        Map<String, User> users = new LinkedHashMap<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return new UserFile(file, users);
        }
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split(":", 3);
            String where = file + ":" + (i + 1) + ": ";
            if (f.length != 3 || !NAME.matcher(f[0]).matches()) {
                throw new IOException(where + "expected NAME:ROLE:pbkdf2-sha256:ITERATIONS:SALT:HASH (rewrite the user with lkpasswd)");
            }
            Role role = Role.fromWord(f[1]).orElseThrow(() -> new IOException(where + "unknown role '" + f[1]
                    + "' of user '" + f[0] + "'; roles: guest, operator, administrator"));
            try {
                users.put(f[0], new User(f[0], role, PasswordHash.decode(f[2])));
            } catch (IllegalArgumentException e) {
                throw new IOException(where + "password hash of user '" + f[0] + "': " + e.getMessage(), e);
            }
        }
        return new UserFile(file, users);
    }

    public Optional<User> user(String name) {
        return Optional.ofNullable(users.get(name));
    }

    public List<User> users() {
        return List.copyOf(users.values());
    }

    /** The user's role when {@code password} is theirs; empty for an unknown user or a wrong password. */
    public Optional<Role> authenticate(String name, char[] password) {
        User u = users.get(name);
        if (u == null) {
            // The same work as for a known user: the answer's time does not tell who exists.
            PasswordHash.create(password);
            return Optional.empty();
        }
        return u.hash().matches(password) ? Optional.of(u.role()) : Optional.empty();
    }

    /** Adds or replaces a user and writes the file. */
    public void put(String name, Role role, char[] password) throws IOException {
        put(name, role, PasswordHash.create(password));
    }

    /** Adds or replaces a user with an already computed hash and writes the file. */
    public void put(String name, Role role, PasswordHash hash) throws IOException {
        users.put(name, new User(name, role, hash));
        write();
    }

    /** Removes a user and writes the file; false when there was no such user. */
    public boolean delete(String name) throws IOException {
        if (users.remove(name) == null) {
            return false;
        }
        write();
        return true;
    }

    private void write() throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        List<String> lines = new ArrayList<>();
        lines.add(HEADER);
        for (User u : users.values()) {
            lines.add(u.name() + ":" + u.role().word() + ":" + u.hash().encoded());
        }
        Path tmp = Files.createTempFile(dir, "." + file.getFileName() + ".",
                ".tmp", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.write(tmp, lines, StandardCharsets.UTF_8);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
