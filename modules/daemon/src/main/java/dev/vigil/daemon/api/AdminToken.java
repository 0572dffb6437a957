package dev.vigil.daemon.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;

/**
 * The secret the commands present to the admin API. The daemon makes a fresh one at every start
 * and writes it to the token file readable by root only; a command proves it may act on this
 * server by reading that file. Comparison is constant-time so the token cannot be guessed byte by
 * byte from response times.
 */
public final class AdminToken {
    private static final Set<PosixFilePermission> OWNER_READ_WRITE = PosixFilePermissions.fromString("rw-------");
    private static final String BEARER = "Bearer ";
    private static final SecureRandom RANDOM = new SecureRandom();

    private AdminToken() {
    }

    /** 32 random bytes as 64 lower-case hex characters. */
    public static String generate() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /**
     * Writes {@code token} to {@code file} with mode 0600, creating its directory if needed. The
     * file is replaced atomically, so a command never reads half a token and never sees the
     * token under wider permissions.
     */
    public static void write(Path file, String token) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp",
                PosixFilePermissions.asFileAttribute(OWNER_READ_WRITE));
        try {
            Files.writeString(tmp, token + "\n", StandardCharsets.US_ASCII);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Files.setPosixFilePermissions(file, OWNER_READ_WRITE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** True when {@code authorization} (the header's value, if any) is {@code Bearer <token>}. */
    public static boolean matches(String token, Optional<String> authorization) {
        String presented = authorization.filter(h -> h.startsWith(BEARER))
                .map(h -> h.substring(BEARER.length()).trim())
                .orElse("");
        return MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8),
                presented.getBytes(StandardCharsets.UTF_8));
    }
}
