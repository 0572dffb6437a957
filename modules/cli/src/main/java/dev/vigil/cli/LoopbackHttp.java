package dev.vigil.cli;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/**
 * One HTTP/1.1 request to the admin API on 127.0.0.1 over a plain socket, with
 * {@code Connection: close}. The commands need nothing more, and the JDK's clients cost too much
 * at start-up for a command that must answer in well under a second ({@code java.net.http}
 * builds a TLS context, trust store included, even for plain HTTP: about a third of a second);
 * {@code HttpURLConnection} silently re-sends a POST after some connection failures, which
 * must not happen to a shutdown request. Deadlines are whole-exchange deadlines.
 */
final class LoopbackHttp {
    private static final int MAX_HEADER_LINE = 8192;
    private static final int MAX_BODY = 64 * 1024 * 1024;

    /** A response: status code and body text (UTF-8). */
    record Response(int status, String body) {
    }

    private LoopbackHttp() {
    }

    /**
     * Sends {@code method path} to 127.0.0.1:{@code port}. Throws {@link java.net.ConnectException}
     * when nothing listens, {@link SocketTimeoutException} when the connection or the whole answer
     * takes longer than its timeout, another {@link IOException} for a broken exchange.
     *
     * @param authorization the Authorization header's value, or null for none
     * @param jsonBody      the request body (sent as application/json), or null for none
     */
    static Response exchange(int port, String method, String path, String authorization, String jsonBody,
                             Duration connectTimeout, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Socket socket = new Socket()) {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port),
                    (int) Math.max(1, Math.min(connectTimeout.toMillis(), timeout.toMillis())));
            byte[] body = jsonBody == null ? new byte[0] : jsonBody.getBytes(StandardCharsets.UTF_8);
            StringBuilder head = new StringBuilder(256)
                    .append(method).append(' ').append(path).append(" HTTP/1.1\r\n")
                    .append("Host: 127.0.0.1:").append(port).append("\r\n")
                    .append("Accept: application/json\r\n")
                    .append("Connection: close\r\n");
            if (authorization != null) {
                head.append("Authorization: ").append(authorization).append("\r\n");
            }
            if (jsonBody != null) {
                head.append("Content-Type: application/json\r\n");
            }
            if (jsonBody != null || !method.equals("GET")) {
                head.append("Content-Length: ").append(body.length).append("\r\n");
            }
            head.append("\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            return read(new Reader(socket, deadline));
        }
    }

    private static Response read(Reader in) throws IOException {
        String statusLine = in.line();
        // "HTTP/1.1 200 OK": the code is the second word.
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
            throw new IOException("not an HTTP response: " + abbreviate(statusLine));
        }
        int status;
        try {
            status = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new IOException("bad HTTP status line: " + abbreviate(statusLine), e);
        }
        long contentLength = -1;
        boolean chunked = false;
        for (String line = in.line(); !line.isEmpty(); line = in.line()) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).trim();
            if (name.equals("content-length")) {
                try {
                    contentLength = Long.parseLong(value);
                } catch (NumberFormatException e) {
                    throw new IOException("bad Content-Length: " + abbreviate(value), e);
                }
            } else if (name.equals("transfer-encoding")) {
                chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
            }
        }
        byte[] body;
        if (chunked) {
            body = in.chunked();
        } else if (contentLength >= 0) {
            if (contentLength > MAX_BODY) {
                throw new IOException("response of " + contentLength + " bytes is too large");
            }
            body = in.exactly((int) contentLength);
        } else {
            body = in.toEnd();
        }
        return new Response(status, new String(body, StandardCharsets.UTF_8));
    }

    private static String abbreviate(String s) {
        return s.length() > 100 ? s.substring(0, 100) + "..." : s;
    }

    /** Reads the response within the exchange's deadline. */
    private static final class Reader {
        private final Socket socket;
        private final InputStream in;
        private final long deadline;

        Reader(Socket socket, long deadline) throws IOException {
            this.socket = socket;
            this.in = new BufferedInputStream(socket.getInputStream());
            this.deadline = deadline;
        }

        /** Sets the socket's read timeout to what is left of the deadline. */
        private void arm() throws IOException {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new SocketTimeoutException("no complete answer in time");
            }
            socket.setSoTimeout((int) Math.max(1, left / 1_000_000));
        }

        /** The next byte, or -1 at the end of the stream. */
        private int next() throws IOException {
            arm();
            return in.read();
        }

        /** A header line without its CRLF. */
        String line() throws IOException {
            StringBuilder sb = new StringBuilder();
            for (int b = next(); b != '\n'; b = next()) {
                if (b < 0) {
                    throw new EOFException("connection closed in the middle of the response headers");
                }
                if (b != '\r') {
                    sb.append((char) b);
                }
                if (sb.length() > MAX_HEADER_LINE) {
                    throw new IOException("response header line too long");
                }
            }
            return sb.toString();
        }

        byte[] exactly(int n) throws IOException {
            byte[] buf = new byte[n];
            int done = 0;
            while (done < n) {
                arm();
                int got = in.read(buf, done, n - done);
                if (got < 0) {
                    throw new EOFException("connection closed after " + done + " of " + n + " bytes of the response");
                }
                done += got;
            }
            return buf;
        }

        byte[] toEnd() throws IOException {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            while (true) {
                arm();
                int got = in.read(buf);
                if (got < 0) {
                    return out.toByteArray();
                }
                out.write(buf, 0, got);
                if (out.size() > MAX_BODY) {
                    throw new IOException("response too large");
                }
            }
        }

        byte[] chunked() throws IOException {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            while (true) {
                String sizeLine = line();
                int semicolon = sizeLine.indexOf(';');
                String hex = (semicolon >= 0 ? sizeLine.substring(0, semicolon) : sizeLine).trim();
                int size;
                try {
                    size = Integer.parseInt(hex, 16);
                } catch (NumberFormatException e) {
                    throw new IOException("bad chunk size: " + abbreviate(sizeLine), e);
                }
                if (size == 0) {
                    while (!line().isEmpty()) {
                        // Trailer fields: not used by the admin API.
                    }
                    return out.toByteArray();
                }
                if (out.size() + size > MAX_BODY) {
                    throw new IOException("response too large");
                }
                out.write(exactly(size));
                line();
            }
        }
    }
}
