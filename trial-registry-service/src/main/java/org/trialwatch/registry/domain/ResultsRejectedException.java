package org.trialwatch.registry.domain;

import java.util.List;

/** Posted results that are well-formed but cannot be true or cannot be read as evidence (422). */
public class ResultsRejectedException extends RuntimeException {

    private final List<FieldError> errors;

    public ResultsRejectedException(List<FieldError> errors) {
        super(errors.size() + " result field(s) break a rule; nothing was stored");
        this.errors = List.copyOf(errors);
    }

    public List<FieldError> errors() {
        return errors;
    }
}
