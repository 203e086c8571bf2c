package io.termsgate.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.termsgate.web.ProblemResponses;
import io.termsgate.web.ProblemTypes;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;

/** Writes 401 and 403 problems from the security filters, which answer before any controller runs. */
@Component
class ProblemWriter {

    private final ObjectMapper json;

    ProblemWriter(ObjectMapper json) {
        this.json = json;
    }

    void unauthenticated(HttpServletResponse response, String detail) throws IOException {
        response.setHeader("WWW-Authenticate", "ApiKey header=\"X-API-Key\"");
        write(
                response,
                ProblemResponses.problem(
                        HttpStatus.UNAUTHORIZED, ProblemTypes.UNAUTHENTICATED, "Authentication required", detail));
    }

    void forbidden(HttpServletResponse response, String detail) throws IOException {
        write(response, ProblemResponses.problem(HttpStatus.FORBIDDEN, ProblemTypes.FORBIDDEN, "Forbidden", detail));
    }

    void rejected(HttpServletResponse response, String detail) throws IOException {
        write(
                response,
                ProblemResponses.problem(
                        HttpStatus.BAD_REQUEST,
                        ProblemTypes.INVALID_REQUEST,
                        "Invalid request URL",
                        detail.length() > 300 ? detail.substring(0, 300) : detail));
    }

    private void write(HttpServletResponse response, ProblemDetail problem) throws IOException {
        response.setStatus(problem.getStatus());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        json.writeValue(response.getOutputStream(), problem);
    }
}
