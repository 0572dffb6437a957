package dev.vigil.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A stand-in for the daemon's admin API during {@link CdsTraining} only: on 127.0.0.1 (a free
 * port), it answers {@code GET /v1/status} with a fixed body and {@code POST /v1/shutdown} with
 * 202, then stops listening as a stopping daemon does. It checks the bearer token like the
 * daemon. One connection at a time, {@code Connection: close}: the commands need no more.
 */
final class CannedAdminApi implements AutoCloseable {
    private static final String TOKEN = "cd5".repeat(21) + "c";

    private final ServerSocket socket;
    private final Thread thread;
    private volatile String statusBody = "{}";

    CannedAdminApi() throws IOException {
        socket = new ServerSocket();
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        thread = new Thread(this::serve, "vigil-canned-admin-api");
        thread.setDaemon(true);
        thread.start();
    }

    int port() {
        return socket.getLocalPort();
    }

    String token() {
        return TOKEN;
    }

    void serve(String statusJson) {
        this.statusBody = statusJson;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    private void serve() {
        while (!socket.isClosed()) {
            try (Socket s = socket.accept()) {
                s.setSoTimeout(5000);
                if (answer(s)) {
                    socket.close();
                }
            } catch (IOException e) {
                // Closed, or a client gave up: the training step that called reports it.
            }
        }
    }

    /** Answers one request; true when it was a shutdown. */
    private boolean answer(Socket s) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
        String requestLine = in.readLine();
        if (requestLine == null) {
            return false;
        }
        boolean authorized = false;
        int length = 0;
        for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
            String lower = line.toLowerCase(Locale.ROOT);
            if (lower.startsWith("authorization:")) {
                authorized = line.substring(line.indexOf(':') + 1).trim().equals("Bearer " + TOKEN);
            } else if (lower.startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        in.read(new char[length], 0, length); // the shutdown mode: this stand-in accepts any
        if (!authorized) {
            reply(s, 401, "{\"error\": \"missing or wrong admin token\"}");
            return false;
        }
        if (requestLine.startsWith("GET /v1/status ")) {
            reply(s, 200, statusBody);
            return false;
        }
        if (requestLine.startsWith("POST /v1/shutdown ")) {
            reply(s, 202, "{\"accepted\": true, \"mode\": \"remove\"}");
            return true;
        }
        reply(s, 404, "{\"error\": \"no such resource\"}");
        return false;
    }

    private static void reply(Socket s, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        OutputStream out = s.getOutputStream();
        out.write(("HTTP/1.1 " + status + " X\r\nContent-Type: application/json\r\nContent-Length: " + bytes.length
                + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.write(bytes);
        out.flush();
    }
}
