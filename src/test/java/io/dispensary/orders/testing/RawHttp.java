package io.dispensary.orders.testing;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.Locale;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The one raw HTTP client of the tests: bytes on a socket exactly as written, for what HTTP clients would
 * normalise or refuse to send (paths such as {@code //admin} or {@code /x/../orders}, broken framing, a body sent
 * slowly, a client that hangs up), and the answer as it arrived.
 */
public final class RawHttp implements Closeable {

    /** A status, a content type and a body (de-chunked, read as UTF-8); status 0 when no complete head came. */
    public record Answer(int status, String contentType, String body) {}

    private final Socket socket;

    private RawHttp(Socket socket) {
        this.socket = socket;
    }

    /** A connection to the @QuarkusTest instance. */
    public static RawHttp connect() throws IOException {
        return connect("localhost", ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class));
    }

    public static RawHttp connect(String host, int port) throws IOException {
        Socket socket = new Socket(host, port);
        socket.setSoTimeout(5_000);
        return new RawHttp(socket);
    }

    /** The status code of {@code GET path} on the @QuarkusTest instance, without any Authorization header. */
    public static int get(String path) throws IOException {
        try (RawHttp http = connect()) {
            return http.send(head("GET " + path, "")).answer().status();
        }
    }

    /** {@code requestLine} (such as {@code GET /orders}) as HTTP/1.1 to localhost, with these header lines. */
    public static String head(String requestLine, String headers) {
        return requestLine + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n" + headers + "\r\n";
    }

    /** Writes a request head, as ISO-8859-1 like HTTP itself. */
    public RawHttp send(String text) throws IOException {
        return send(text.getBytes(ISO_8859_1), 0, text.length());
    }

    public RawHttp send(byte[] bytes) throws IOException {
        return send(bytes, 0, bytes.length);
    }

    public RawHttp send(byte[] bytes, int offset, int length) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(bytes, offset, length);
        out.flush();
        return this;
    }

    /** Reads until the server closes the connection; a reset after the answer, or no end to it, ends the read. */
    public byte[] readAll() throws IOException {
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = in.read(buffer)) > 0; ) {
                all.write(buffer, 0, n);
            }
        } catch (SocketException | SocketTimeoutException e) {
            // Judge what arrived.
        }
        return all.toByteArray();
    }

    /** The answer, parsed. */
    public Answer answer() throws IOException {
        return parse(readAll());
    }

    /** Sends a whole request (the server may answer and close before it has read all of it) and reads the answer. */
    public static Answer exchange(String host, int port, String head, byte[] body) {
        try (RawHttp http = connect(host, port)) {
            try {
                http.send(head).send(body);
            } catch (IOException e) {
                // The server may answer and close before it has read an oversized body: read what it said.
            }
            return http.answer();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Answer parse(byte[] response) {
        String text = new String(response, ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            return new Answer(0, "", "(no complete answer) " + text);
        }
        String[] head = text.substring(0, end).split("\r\n");
        int status = Integer.parseInt(head[0].split(" ")[1]);
        String contentType = "";
        boolean chunked = false;
        for (String header : head) {
            String lower = header.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-type:")) {
                contentType = header.substring(13).trim();
            } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                chunked = true;
            }
        }
        String body = text.substring(end + 4);
        if (chunked) {
            StringBuilder decoded = new StringBuilder();
            int at = 0;
            while (true) {
                int lineEnd = body.indexOf("\r\n", at);
                int size = Integer.parseInt(
                        body.substring(at, lineEnd).split(";")[0].trim(), 16);
                if (size == 0) {
                    break;
                }
                decoded.append(body, lineEnd + 2, lineEnd + 2 + size);
                at = lineEnd + 2 + size + 2;
            }
            body = decoded.toString();
        }
        return new Answer(status, contentType, new String(body.getBytes(ISO_8859_1), UTF_8));
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
