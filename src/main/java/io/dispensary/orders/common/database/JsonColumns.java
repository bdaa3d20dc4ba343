package io.dispensary.orders.common.database;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import jakarta.enterprise.context.ApplicationScoped;
import org.hibernate.type.format.FormatMapper;
import org.hibernate.type.format.jackson.JacksonJsonFormatMapper;

/**
 * The one mapper of jsonb columns: Hibernate writes and reads entities' JSON columns through it
 * ({@link HibernateJsonFormat}), and stores that
 * read a jsonb column with plain JDBC use a {@link #reader}, so a value reads back the way it was written whichever
 * way it was reached. It is the application's ObjectMapper, the same as the API's.
 */
@ApplicationScoped
public class JsonColumns {

    private final ObjectMapper mapper;
    private final FormatMapper hibernate;

    public JsonColumns(ObjectMapper mapper) {
        this.mapper = mapper;
        this.hibernate = new JacksonJsonFormatMapper(mapper);
    }

    /**
     * A reader of one column type, for a store to make once and keep: resolving the type is a third of the cost of
     * reading a small column, and a create-order reads two (measured, loadtest/results/compare/).
     */
    public <T> Reader<T> reader(TypeReference<T> type) {
        return new Reader<>(mapper.readerFor(type), type);
    }

    /** Reads jsonb text as the type it holds; a column that cannot be read is a broken invariant. */
    public static final class Reader<T> {
        private final ObjectReader reader;
        private final TypeReference<T> type;

        private Reader(ObjectReader reader, TypeReference<T> type) {
            this.reader = reader;
            this.type = type;
        }

        public T read(String json) {
            try {
                return reader.readValue(json);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("a jsonb column does not hold a " + type.getType(), e);
            }
        }
    }

    /** Hibernate's view of this mapper, for {@link HibernateJsonFormat}. */
    FormatMapper forHibernate() {
        return hibernate;
    }
}
