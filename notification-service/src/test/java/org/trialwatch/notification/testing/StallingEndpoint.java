package org.trialwatch.notification.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A webhook endpoint that reads the request, answers its status line and headers (promising a body) and then never
 * sends the body: the connection stays open until the test ends. Records the webhook-id of every request it got.
 * The verification event a new subscription sends first is answered at once with 204 (the endpoint worked when it
 * was subscribed) and not recorded.
 */
public final class StallingEndpoint implements AutoCloseable {

    private final ServerSocket server;
    private final List<Socket> held = new CopyOnWriteArrayList<>();
    private final List<String> webhookIds = new CopyOnWriteArrayList<>();
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger mostOpen = new AtomicInteger();

    private StallingEndpoint(ServerSocket server) {
        this.server = server;
        Thread acceptor = new Thread(this::accept, "stalling-endpoint");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public static StallingEndpoint start() throws IOException {
        return new StallingEndpoint(new ServerSocket(0, 200, InetAddress.getLoopbackAddress()));
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getLocalPort() + path;
    }

    /** The webhook-id of each request received, in arrival order (a retry repeats its id). */
    public List<String> webhookIds() {
        return List.copyOf(webhookIds);
    }

    /** The most requests this endpoint held stalled at the same time (the sender had not given up on any of them). */
    public int mostHeldAtOnce() {
        return mostOpen.get();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                held.add(socket);
                Thread stall = new Thread(() -> stall(socket), "stalling-endpoint-conn");
                stall.setDaemon(true);
                stall.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void stall(Socket socket) {
        try {
            InputStream in = socket.getInputStream();
            String head = readHead(in);
            int length = 0;
            for (String line : head.split("\r\n")) {
                if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                    length = Integer.parseInt(line.substring("content-length:".length()).trim());
                }
            }
            String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
            if (body.contains("\"type\":\"trialwatch.webhook.verification\"")) {
                OutputStream out = socket.getOutputStream();
                out.write("HTTP/1.1 204 No Content\r\nconnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                socket.close();
                return;
            }
            for (String line : head.split("\r\n")) {
                if (line.toLowerCase(Locale.ROOT).startsWith("webhook-id:")) {
                    webhookIds.add(line.substring("webhook-id:".length()).trim());
                }
            }
            OutputStream out = socket.getOutputStream();
            out.write("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{\"ok\""
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // and nothing more: the promised body never comes. Held until the sender gives up and closes.
            mostOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
            try {
                while (in.read() != -1) {
                    // nothing more is expected from the sender
                }
            } finally {
                open.decrementAndGet();
            }
        } catch (IOException e) {
            // the sender gave up and closed the connection
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        int b;
        while (matched < 4 && (b = in.read()) != -1) {
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket socket : held) {
            socket.close();
        }
    }
}
