package dev.vigil.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.cli.testing.TestConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The commands' HTTP client against a raw socket server that answers exactly the bytes a test
 * gives (the admin API's own answers are covered by the command tests through the JDK's HTTP
 * server): the framings HTTP/1.1 allows, and the failures that become "not running".
 */
class LoopbackHttpTest {
    private static final Duration SECOND = Duration.ofSeconds(1);

    private ServerSocket server;
    private final List<String> requests = new ArrayList<>();

    @BeforeEach
    void listen() throws IOException {
        server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    @AfterEach
    void close() throws IOException {
        server.close();
    }

    /** Accepts one connection, records the request head, answers {@code raw} and closes. */
    private CompletableFuture<Void> answerOnce(String raw) {
        return CompletableFuture.runAsync(() -> {
            try (Socket s = server.accept()) {
                BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
                StringBuilder head = new StringBuilder();
                int length = 0;
                for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                    head.append(line).append('\n');
                    if (line.toLowerCase().startsWith("content-length:")) {
                        length = Integer.parseInt(line.substring(15).trim());
                    }
                }
                char[] body = new char[length];
                int read = 0;
                while (read < length) {
                    read += in.read(body, read, length - read);
                }
                requests.add(head + new String(body));
                s.getOutputStream().write(raw.getBytes(StandardCharsets.UTF_8));
                s.getOutputStream().flush();
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
    }

    @Test
    void aContentLengthAnswerIsReadWithItsStatusAndTheRequestCarriesTheTokenAndBody() throws Exception {
        CompletableFuture<Void> done = answerOnce("HTTP/1.1 202 Accepted\r\nContent-Length: 16\r\n\r\n{\"accepted\":true}");
        LoopbackHttp.Response r = LoopbackHttp.exchange(server.getLocalPort(), "POST", "/v1/shutdown", "Bearer abc",
                "{\"mode\": \"remove\"}", SECOND, SECOND);
        done.get(5, TimeUnit.SECONDS);
        assertEquals(202, r.status());
        assertEquals("{\"accepted\":true", r.body(), "exactly Content-Length bytes");
        String request = requests.get(0);
        assertTrue(request.startsWith("POST /v1/shutdown HTTP/1.1\n"), request);
        assertTrue(request.contains("Authorization: Bearer abc\n"), request);
        assertTrue(request.contains("Content-Type: application/json\n"), request);
        assertTrue(request.endsWith("\n{\"mode\": \"remove\"}"), request);
    }

    @Test
    void aChunkedAnswerIsReassembled() throws Exception {
        answerOnce("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{\"a\":\r\n4;ext=1\r\n\"b\"}\r\n0\r\n\r\n");
        LoopbackHttp.Response r = LoopbackHttp.exchange(server.getLocalPort(), "GET", "/v1/status", null, null,
                SECOND, SECOND);
        assertEquals(200, r.status());
        assertEquals("{\"a\":\"b\"}", r.body());
    }

    @Test
    void anAnswerWithoutLengthEndsWhenTheServerCloses() throws Exception {
        answerOnce("HTTP/1.1 500 Internal Server Error\r\nContent-Type: application/json\r\n\r\n{\"error\": \"é\"}");
        LoopbackHttp.Response r = LoopbackHttp.exchange(server.getLocalPort(), "GET", "/v1/status", null, null,
                SECOND, SECOND);
        assertEquals(500, r.status());
        assertEquals("{\"error\": \"é\"}", r.body());
    }

    @Test
    void aServerThatNeverAnswersTimesOutWithinTheDeadline() throws Exception {
        long start = System.nanoTime();
        assertThrows(SocketTimeoutException.class, () -> LoopbackHttp.exchange(server.getLocalPort(), "GET",
                "/v1/status", null, null, SECOND, Duration.ofMillis(300)));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(millis >= 250 && millis < 2000, "took " + millis + " ms");
    }

    @Test
    void aServerThatTricklesBytesCannotStretchTheDeadline() throws Exception {
        CompletableFuture.runAsync(() -> {
            try (Socket s = server.accept()) {
                for (int i = 0; i < 40; i++) {
                    s.getOutputStream().write("HTTP/1.1 200 OK\r\nX: y\r\n".getBytes(StandardCharsets.US_ASCII), i % 2, 1);
                    Thread.sleep(50);
                }
            } catch (IOException | InterruptedException e) {
                // The client hung up first, as it should.
            }
        });
        long start = System.nanoTime();
        assertThrows(SocketTimeoutException.class, () -> LoopbackHttp.exchange(server.getLocalPort(), "GET",
                "/v1/status", null, null, SECOND, Duration.ofMillis(400)));
        assertTrue((System.nanoTime() - start) / 1_000_000 < 1500);
    }

    @Test
    void nothingListeningIsAConnectException() {
        int port = TestConfig.freePort();
        assertThrows(ConnectException.class, () -> LoopbackHttp.exchange(port, "GET", "/v1/status", null, null,
                SECOND, SECOND));
    }

    @Test
    void somethingThatIsNotHttpIsAnIoErrorNamingWhatCame() throws Exception {
        answerOnce("SSH-2.0-OpenSSH_9.2\r\n");
        IOException e = assertThrows(IOException.class, () -> LoopbackHttp.exchange(server.getLocalPort(), "GET",
                "/v1/status", null, null, SECOND, SECOND));
        assertEquals("not an HTTP response: SSH-2.0-OpenSSH_9.2", e.getMessage());
    }

    @Test
    void aTruncatedBodyIsAnError() throws Exception {
        answerOnce("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"local\"");
        IOException e = assertThrows(IOException.class, () -> LoopbackHttp.exchange(server.getLocalPort(), "GET",
                "/v1/status", null, null, SECOND, SECOND));
        assertEquals("connection closed after 8 of 100 bytes of the response", e.getMessage());
    }
}
