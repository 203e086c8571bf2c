package io.termsgate.web;

import java.util.List;

/** Input that breaks the API's contract; answered as one 400 problem listing every bad field. Nothing was done. */
public class InvalidRequestException extends RuntimeException {

    private final String title;
    private final transient List<FieldError> errors;

    public InvalidRequestException(String title, List<FieldError> errors) {
        super(title + ": " + errors);
        this.title = title;
        this.errors = List.copyOf(errors);
    }

    public static InvalidRequestException of(String title, String field, String message) {
        return new InvalidRequestException(title, List.of(new FieldError(field, message)));
    }

    public String title() {
        return title;
    }

    public List<FieldError> errors() {
        return errors;
    }
}
