package io.dispensary.orders.common.database;

import io.quarkus.hibernate.orm.JsonFormat;
import io.quarkus.hibernate.orm.PersistenceUnitExtension;
import jakarta.enterprise.context.ApplicationScoped;
import org.hibernate.type.descriptor.WrapperOptions;
import org.hibernate.type.descriptor.java.JavaType;
import org.hibernate.type.format.FormatMapper;

/** Hands Hibernate the one jsonb mapper, {@link JsonColumns}, for every entity's JSON column. */
@JsonFormat
@PersistenceUnitExtension
@ApplicationScoped
public class HibernateJsonFormat implements FormatMapper {

    private final JsonColumns columns;

    public HibernateJsonFormat(JsonColumns columns) {
        this.columns = columns;
    }

    @Override
    public <T> T fromString(CharSequence charSequence, JavaType<T> javaType, WrapperOptions wrapperOptions) {
        return columns.forHibernate().fromString(charSequence, javaType, wrapperOptions);
    }

    @Override
    public <T> String toString(T value, JavaType<T> javaType, WrapperOptions wrapperOptions) {
        return columns.forHibernate().toString(value, javaType, wrapperOptions);
    }
}
