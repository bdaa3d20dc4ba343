package io.dispensary.orders.tenant;

import io.restassured.RestAssured;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Sends a request line exactly as written, for paths that HTTP clients would normalise first ({@code //admin},
 * {@code /x/../orders}, {@code /%61dmin}): the server, not the client, must see through them.
 */
final class RawHttp {

    private RawHttp() {
    }

    /** The status code of {@code GET path} on the @QuarkusTest instance, without any Authorization header. */
    static int get(String path) throws IOException {
        try (Socket socket = new Socket("localhost", RestAssured.port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            // "HTTP/1.1 401 Unauthorized"
            return Integer.parseInt(response.substring(9, 12));
        }
    }
}
