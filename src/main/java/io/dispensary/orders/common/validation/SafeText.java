package io.dispensary.orders.common.validation;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Free text a person typed: any Unicode letters and symbols, but no control characters (PostgreSQL refuses
 * NUL in text, and line breaks forge log lines) and no unpaired surrogates (they would be stored as '?').
 */
@Documented
@Constraint(validatedBy = SafeTextValidator.class)
@Target({
    ElementType.FIELD,
    ElementType.PARAMETER,
    ElementType.RECORD_COMPONENT,
    ElementType.TYPE_USE,
    ElementType.METHOD
})
@Retention(RetentionPolicy.RUNTIME)
public @interface SafeText {

    String message() default "must not contain control characters or invalid Unicode";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
