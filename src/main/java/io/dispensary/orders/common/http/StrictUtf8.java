package io.dispensary.orders.common.http;

import io.dispensary.orders.common.problem.ApiProblem;
import io.dispensary.orders.common.problem.Problem;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Refuses a UTF-8 body that RFC 3629 forbids before Jackson reads it. Jackson's UTF-8 reader decodes overlong forms:
 * {@code C0 BC} became "<" and was stored, the classic way past a filter that looks for "<". The JDK's decoder,
 * told to report, refuses overlong forms, encoded surrogates and truncated sequences alike.
 */
@Provider
public class StrictUtf8 implements ReaderInterceptor {

    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
        // The body is bounded (quarkus.http.limits.max-body-size), so holding it once more costs little.
        byte[] body = context.getInputStream().readAllBytes();
        if (isUtf8(body)) {
            try {
                StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(body));
            } catch (CharacterCodingException e) {
                throw ApiProblem.validation(List.of(new Problem.Violation(
                        "body", "is not valid UTF-8 (RFC 3629: no overlong forms, surrogates or cut sequences)")));
            }
        }
        context.setInputStream(new ByteArrayInputStream(body));
        return context.proceed();
    }

    /**
     * JSON readers detect UTF-16 and UTF-32 from the zero bytes among the first four (RFC 4627 section 3), and this
     * service reads them; only a body read as UTF-8 is held to UTF-8's rules.
     */
    private static boolean isUtf8(byte[] body) {
        for (int i = 0; i < Math.min(4, body.length); i++) {
            if (body[i] == 0) {
                return false;
            }
        }
        boolean utf16Bom = body.length >= 2
                && ((body[0] == (byte) 0xfe && body[1] == (byte) 0xff)
                        || (body[0] == (byte) 0xff && body[1] == (byte) 0xfe));
        return !utf16Bom;
    }
}
