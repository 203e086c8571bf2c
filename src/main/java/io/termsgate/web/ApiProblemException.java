package io.termsgate.web;

import java.net.URI;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;

/** A use case's refusal that has a problem response of its own (409 conflict, 422, 503, ...). */
public class ApiProblemException extends RuntimeException {

    private final transient ProblemDetail problem;
    private final transient HttpHeaders headers;

    public ApiProblemException(HttpStatusCode status, URI type, String title, String detail) {
        this(status, type, title, detail, new HttpHeaders());
    }

    public ApiProblemException(HttpStatusCode status, URI type, String title, String detail, HttpHeaders headers) {
        super(title + ": " + detail);
        this.problem = ProblemResponses.problem(status, type, title, detail);
        this.headers = headers;
    }

    public ApiProblemException with(String property, Object value) {
        problem.setProperty(property, value);
        return this;
    }

    public ProblemDetail problem() {
        return problem;
    }

    public HttpHeaders headers() {
        return headers;
    }
}
