package io.termsgate.web;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.termsgate.engine.RulesetProblem;
import io.termsgate.engine.RulesetRejectedException;
import java.net.URI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionTimedOutException;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * Every error answer of the API is an RFC 9457 problem ({@code application/problem+json}) with a stable {@code type},
 * a human title, a detail naming what is wrong and, for bad input, an {@code errors} array of {@code {field, message}}.
 * Nothing the client sent makes this a 500.
 */
@RestControllerAdvice
public class ProblemResponses extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemResponses.class);

    /** Builds a problem; shared with the security layer, which answers before any controller runs. */
    public static ProblemDetail problem(HttpStatusCode status, URI type, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(type);
        problem.setTitle(title);
        return problem;
    }

    /**
     * The 413 problem when {@code e} was caused by reading a request body past its cap (see BodySizeLimitFilter),
     * else {@code null}: for code that reads a body as a stream and sees the cap as an {@code IOException}.
     */
    public static ApiProblemException payloadTooLarge(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof BodySizeLimitFilter.TooLarge tooLarge) {
                return new ApiProblemException(
                        HttpStatus.PAYLOAD_TOO_LARGE,
                        ProblemTypes.PAYLOAD_TOO_LARGE,
                        "Payload too large",
                        "The request body is larger than " + tooLarge.limit + " bytes");
            }
        }
        return null;
    }

    @ExceptionHandler(InvalidRequestException.class)
    ResponseEntity<Object> invalidRequest(InvalidRequestException e) {
        ProblemDetail problem = problem(
                HttpStatus.BAD_REQUEST,
                ProblemTypes.INVALID_REQUEST,
                e.title(),
                e.errors().size() == 1
                        ? "1 field is invalid: " + e.errors().get(0).field()
                        : e.errors().size() + " fields are invalid");
        problem.setProperty("errors", e.errors());
        return ResponseEntity.badRequest().body(problem);
    }

    /** A ruleset that cannot go live: every problem, with its file and where in it. */
    @ExceptionHandler(RulesetRejectedException.class)
    ResponseEntity<Object> rulesetRejected(RulesetRejectedException e) {
        long errors = e.problems().stream().filter(RulesetProblem::isError).count();
        ProblemDetail problem = problem(
                HttpStatus.UNPROCESSABLE_ENTITY,
                ProblemTypes.RULESET_REJECTED,
                "Ruleset rejected",
                errors + " problem(s) stop this ruleset from going live; nothing was stored and "
                        + "the live ruleset is unchanged");
        problem.setProperty("problems", e.problems());
        return ResponseEntity.unprocessableEntity().body(problem);
    }

    @ExceptionHandler(ApiProblemException.class)
    ResponseEntity<Object> apiProblem(ApiProblemException e) {
        return ResponseEntity.status(e.problem().getStatus())
                .headers(e.headers())
                .body(e.problem());
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(
            HttpMessageNotReadableException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        String detail = "The request body is not valid JSON";
        ApiProblemException tooLarge = payloadTooLarge(e);
        if (tooLarge != null) {
            return apiProblem(tooLarge);
        }
        if (e.getCause() instanceof JsonProcessingException json) {
            JsonLocation at = json.getLocation();
            String reason = json.getOriginalMessage();
            // keep the parser's own words short: they may quote the client's input
            if (reason != null && reason.length() > 200) {
                reason = reason.substring(0, 200) + "…";
            }
            detail = detail
                    + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")")
                    + (reason == null ? "" : ": " + reason.replaceAll("\\p{Cntrl}", "?"));
        } else if (e.getMessage() != null && e.getMessage().startsWith("Required request body is missing")) {
            detail = "The request body is empty; a JSON object is required";
        }
        return ResponseEntity.badRequest()
                .body(problem(HttpStatus.BAD_REQUEST, ProblemTypes.MALFORMED_JSON, "Malformed JSON", detail));
    }

    @Override
    protected ResponseEntity<Object> handleHttpMediaTypeNotSupported(
            HttpMediaTypeNotSupportedException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        ProblemDetail problem = problem(
                status,
                ProblemTypes.UNSUPPORTED_MEDIA_TYPE,
                "Unsupported media type",
                "Content-Type " + (e.getContentType() == null ? "(none)" : e.getContentType())
                        + " is not accepted here; use " + e.getSupportedMediaTypes());
        return ResponseEntity.status(status).headers(headers).body(problem);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMediaTypeNotAcceptable(
            HttpMediaTypeNotAcceptableException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        ProblemDetail problem = problem(
                status,
                ProblemTypes.NOT_ACCEPTABLE,
                "Not acceptable",
                "This resource answers " + e.getSupportedMediaTypes());
        return ResponseEntity.status(status).body(problem);
    }

    @Override
    protected ResponseEntity<Object> handleHttpRequestMethodNotSupported(
            HttpRequestMethodNotSupportedException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        ProblemDetail problem = problem(
                status,
                ProblemTypes.METHOD_NOT_ALLOWED,
                "Method not allowed",
                e.getMethod() + " is not allowed here; allowed: " + e.getSupportedHttpMethods());
        return ResponseEntity.status(status).headers(headers).body(problem);
    }

    @Override
    protected ResponseEntity<Object> handleNoResourceFoundException(
            NoResourceFoundException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        return ResponseEntity.status(status)
                .body(problem(status, ProblemTypes.NOT_FOUND, "Not found", "No resource at /" + e.getResourcePath()));
    }

    @Override
    protected ResponseEntity<Object> handleMaxUploadSizeExceededException(
            org.springframework.web.multipart.MaxUploadSizeExceededException e,
            HttpHeaders headers,
            HttpStatusCode status,
            WebRequest request) {
        return ResponseEntity.status(HttpStatus.PAYLOAD_TOO_LARGE)
                .body(problem(
                        HttpStatus.PAYLOAD_TOO_LARGE,
                        ProblemTypes.PAYLOAD_TOO_LARGE,
                        "Payload too large",
                        "The upload is larger than allowed ("
                                + (e.getMaxUploadSize() < 0
                                        ? "see termsgate.http.max-upload-body"
                                        : e.getMaxUploadSize() + " bytes")
                                + ")"));
    }

    /** Everything else Spring MVC rejects (missing parameters, bad path variables, ...) keeps its status. */
    @Override
    protected ResponseEntity<Object> handleExceptionInternal(
            Exception e, Object body, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        if (body instanceof ProblemDetail problem
                && problem.getType() != null
                && !"about:blank".equals(problem.getType().toString())) {
            return super.handleExceptionInternal(e, body, headers, status, request);
        }
        String detail = body instanceof ProblemDetail problem && problem.getDetail() != null
                ? problem.getDetail()
                : e.getMessage();
        ProblemDetail problem = problem(
                status,
                status.is4xxClientError() ? ProblemTypes.INVALID_REQUEST : ProblemTypes.INTERNAL_ERROR,
                HttpStatus.valueOf(status.value()).getReasonPhrase(),
                detail);
        return super.handleExceptionInternal(e, problem, headers, status, request);
    }

    /**
     * The database is unreachable or overloaded: a passing condition, so 503 and a hint to retry. A transaction that
     * cannot begin (no connection) or ran out of its time (a lock waited for too long) is the same condition, seen
     * by a {@code TransactionTemplate} instead of a statement.
     */
    @ExceptionHandler({
        DataAccessResourceFailureException.class,
        TransientDataAccessException.class,
        RecoverableDataAccessException.class,
        CannotCreateTransactionException.class,
        TransactionTimedOutException.class
    })
    ResponseEntity<Object> databaseUnavailable(RuntimeException e) {
        log.warn("database unavailable: {}", e.getMessage());
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, "1")
                .body(problem(
                        HttpStatus.SERVICE_UNAVAILABLE,
                        ProblemTypes.SERVICE_UNAVAILABLE,
                        "Database unavailable",
                        "The database cannot be reached right now; retry shortly."));
    }

    /** A bug of ours, never the client's input: logged with its stack, answered without it. */
    @ExceptionHandler(Exception.class)
    ResponseEntity<Object> unexpected(Exception e) {
        ApiProblemException tooLarge = payloadTooLarge(e); // a body read as a stream, past its cap: the client's
        if (tooLarge != null) {
            return apiProblem(tooLarge);
        }
        log.error("unexpected error answering a request", e);
        return ResponseEntity.internalServerError()
                .body(problem(
                        HttpStatus.INTERNAL_SERVER_ERROR,
                        ProblemTypes.INTERNAL_ERROR,
                        "Internal error",
                        "The service failed to answer; the error is logged. Nothing was decided."));
    }
}
