package io.dispensary.orders.common.validation;

import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import java.time.LocalDate;

/** Checks {@link NotBefore}. */
public class NotBeforeValidator implements ConstraintValidator<NotBefore, LocalDate> {

    private LocalDate earliest;

    @Override
    public void initialize(NotBefore constraint) {
        earliest = LocalDate.parse(constraint.value());
    }

    @Override
    public boolean isValid(LocalDate value, ConstraintValidatorContext context) {
        return value == null || !value.isBefore(earliest);
    }
}
