package io.dispensary.orders.common.validation;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A date on or after {@link #value()} (ISO-8601, such as {@code 1900-01-01}). Bean Validation bounds dates only
 * by today ({@code @Past}); without a lower bound, a date like {@code -999999999-01-01} reaches the database,
 * which cannot store it.
 */
@Documented
@Constraint(validatedBy = NotBeforeValidator.class)
@Target({
    ElementType.FIELD,
    ElementType.PARAMETER,
    ElementType.RECORD_COMPONENT,
    ElementType.TYPE_USE,
    ElementType.METHOD
})
@Retention(RetentionPolicy.RUNTIME)
public @interface NotBefore {

    String value();

    String message() default "must be on or after {value}";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
