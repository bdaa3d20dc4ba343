package io.dispensary.orders.idempotency;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import io.dispensary.orders.common.Sha256;
import java.io.IOException;
import java.math.BigDecimal;

/**
 * The checksum that tells "the same request again" from "another request under the same key": SHA-256 of the
 * parsed request written back with sorted keys and one spelling per number, so whitespace, member order and
 * the way a client writes a decimal (3.5, 3.50, 35e-1) do not matter.
 */
public final class RequestFingerprint {

    private static final ObjectMapper CANONICAL = JsonMapper.builder()
            .findAndAddModules()
            .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .addModule(new SimpleModule().addSerializer(BigDecimal.class, new PlainDecimal()))
            .build();

    private RequestFingerprint() {}

    public static String of(Object request) {
        try {
            return Sha256.hex(CANONICAL.writeValueAsBytes(request));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not fingerprint the request", e);
        }
    }

    /** A decimal without trailing zeros or an exponent: equal quantities, equal text. */
    private static final class PlainDecimal extends StdSerializer<BigDecimal> {

        PlainDecimal() {
            super(BigDecimal.class);
        }

        @Override
        public void serialize(BigDecimal value, JsonGenerator generator, SerializerProvider provider)
                throws IOException {
            generator.writeNumber(value.stripTrailingZeros().toPlainString());
        }
    }
}
