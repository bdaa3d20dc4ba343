package io.dispensary.orders.common.database;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import org.hibernate.type.format.FormatMapper;
import org.hibernate.type.format.jackson.JacksonJsonFormatMapper;

/**
 * The one mapper of jsonb columns: Hibernate writes and reads entities' JSON columns through it
 * ({@link HibernateJsonFormat}), and stores that
 * read a jsonb column with plain JDBC use {@link #read}, so a value reads back the way it was written whichever
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

    /** A jsonb column's text as the type it holds; a column that cannot be read is a broken invariant. */
    public <T> T read(String json, TypeReference<T> type) {
        try {
            return mapper.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a jsonb column does not hold a " + type.getType(), e);
        }
    }

    /** Hibernate's view of this mapper, for {@link HibernateJsonFormat}. */
    FormatMapper forHibernate() {
        return hibernate;
    }
}
