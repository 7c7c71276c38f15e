package org.trialwatch.registry.domain;

import java.util.List;

/** Input that is well-formed JSON but breaks a field rule (400, or the status given by the caller). */
public class InvalidInputException extends RuntimeException {

    private final List<FieldError> errors;

    public InvalidInputException(List<FieldError> errors) {
        super(errors.stream().map(e -> e.field() + ": " + e.reason()).reduce((a, b) -> a + "; " + b).orElse("invalid input"));
        this.errors = List.copyOf(errors);
    }

    public InvalidInputException(String field, String reason) {
        this(List.of(new FieldError(field, reason)));
    }

    public List<FieldError> errors() {
        return errors;
    }
}
