package org.trialwatch.testbed;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Requests sent byte for byte as given. A GET: HTTP clients (RestAssured, java.net.http) encode or refuse a raw
 * {@code >} or a stray {@code %}, which is exactly what a user typing into curl sends. Reads the status and headers,
 * and the body when it has a Content-Length (a stream's body is not waited for).
 */
public final class RawHttp {

    public record Answer(int status, Map<String, String> headers, String body) {

        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private RawHttp() {
    }

    public static Answer get(int port, String requestTarget, String... headerLines) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            StringBuilder request = new StringBuilder("GET ").append(requestTarget).append(" HTTP/1.1\r\n")
                    .append("Host: localhost:").append(port).append("\r\nConnection: close\r\n");
            for (String line : headerLines) {
                request.append(line).append("\r\n");
            }
            socket.getOutputStream().write(request.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = socket.getInputStream();
            String statusLine = line(in);
            Map<String, String> headers = new LinkedHashMap<>();
            for (String line = line(in); !line.isEmpty(); line = line(in)) {
                int colon = line.indexOf(':');
                headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
            }
            String length = headers.get("content-length");
            String body = length == null ? "" : new String(in.readNBytes(Integer.parseInt(length)), StandardCharsets.UTF_8);
            return new Answer(Integer.parseInt(statusLine.split(" ")[1]), headers, body);
        }
    }

    /**
     * One HTTP/1.1 POST whose body is sent chunked ({@code Transfer-Encoding: chunked}, no Content-Length), in chunks
     * of {@code chunkSize} bytes, by a second thread while this one reads the answer: a server that answers before
     * the body ends (a body over its limit) is heard even if it stops reading. Reads a Content-Length or chunked body.
     */
    public static Answer postChunked(int port, String requestTarget, byte[] body, int chunkSize, String... headerLines)
            throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            StringBuilder head = new StringBuilder("POST ").append(requestTarget).append(" HTTP/1.1\r\n")
                    .append("Host: localhost:").append(port).append("\r\nConnection: close\r\n")
                    .append("Transfer-Encoding: chunked\r\n");
            for (String line : headerLines) {
                head.append(line).append("\r\n");
            }
            java.io.OutputStream out = socket.getOutputStream();
            out.write(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            Thread writer = new Thread(() -> {
                try {
                    for (int at = 0; at < body.length; at += chunkSize) {
                        int n = Math.min(chunkSize, body.length - at);
                        out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                        out.write(body, at, n);
                        out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
                        out.flush();
                    }
                    out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                } catch (IOException e) {
                    // the server stopped reading: what it answered is read below
                }
            }, "raw-http-chunked-writer");
            writer.setDaemon(true);
            writer.start();
            InputStream in = socket.getInputStream();
            String statusLine = line(in);
            Map<String, String> headers = new LinkedHashMap<>();
            for (String line = line(in); !line.isEmpty(); line = line(in)) {
                int colon = line.indexOf(':');
                headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
            }
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            String length = headers.get("content-length");
            if (length != null) {
                answer.write(in.readNBytes(Integer.parseInt(length)));
            } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
                for (int n = Integer.parseInt(line(in).split(";")[0].trim(), 16); n > 0;
                     n = Integer.parseInt(line(in).split(";")[0].trim(), 16)) {
                    answer.write(in.readNBytes(n));
                    line(in);
                }
            }
            return new Answer(Integer.parseInt(statusLine.split(" ")[1]), headers,
                    answer.toString(StandardCharsets.UTF_8));
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int b = in.read(); b != -1 && b != '\n'; b = in.read()) {
            if (b != '\r') {
                bytes.write(b);
            }
        }
        return bytes.toString(StandardCharsets.ISO_8859_1);
    }
}
