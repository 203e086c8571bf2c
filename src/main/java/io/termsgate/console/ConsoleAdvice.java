package io.termsgate.console;

import io.termsgate.web.ApiProblemException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.security.core.Authentication;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionTimedOutException;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.servlet.ModelAndView;

/**
 * What every console page has (the person signed in, formatting) and how the console answers a failure: with a
 * page a person can read, not the API's problem JSON. Ordered first so it wins over the API's advice for the
 * console's own controllers; it applies to no other.
 */
@ControllerAdvice(basePackageClasses = ConsoleAdvice.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class ConsoleAdvice {

    private static final Logger log = LoggerFactory.getLogger(ConsoleAdvice.class);

    /** A page or thing that does not exist: answered 404 with the reason. */
    static class NotFound extends RuntimeException {
        NotFound(String message) {
            super(message);
        }
    }

    @ModelAttribute("me")
    Person me(Authentication who) {
        return who == null ? null : Person.of(who);
    }

    @ModelAttribute("fmt")
    Formats formats() {
        return Formats.INSTANCE;
    }

    @ExceptionHandler(NotFound.class)
    ModelAndView notFound(NotFound e, HttpServletRequest request, HttpServletResponse response) {
        return page(response, HttpServletResponse.SC_NOT_FOUND, "Not found", e.getMessage(), request);
    }

    @ExceptionHandler({
        DataAccessResourceFailureException.class,
        TransientDataAccessException.class,
        CannotCreateTransactionException.class,
        TransactionTimedOutException.class
    })
    ModelAndView databaseUnavailable(RuntimeException e, HttpServletRequest request, HttpServletResponse response) {
        log.warn("database unavailable: {}", e.getMessage());
        response.setHeader("Retry-After", "1");
        return page(
                response,
                HttpServletResponse.SC_SERVICE_UNAVAILABLE,
                "Database unavailable",
                "The database cannot be reached right now; try again shortly.",
                request);
    }

    /** A refusal with a problem of its own (an auditor's read the access log cannot record: 503), as a page. */
    @ExceptionHandler(ApiProblemException.class)
    ModelAndView refused(ApiProblemException e, HttpServletRequest request, HttpServletResponse response) {
        e.headers().forEach((name, values) -> values.forEach(value -> response.addHeader(name, value)));
        return page(
                response,
                e.problem().getStatus(),
                e.problem().getTitle(),
                e.problem().getDetail(),
                request);
    }

    @ExceptionHandler(Exception.class)
    ModelAndView unexpected(Exception e, HttpServletRequest request, HttpServletResponse response) {
        log.error("unexpected error answering console page {}", request.getRequestURI(), e);
        return page(
                response,
                HttpServletResponse.SC_INTERNAL_SERVER_ERROR,
                "Something went wrong",
                "The service failed to answer; the error is logged. Nothing was changed by this page.",
                request);
    }

    private ModelAndView page(
            HttpServletResponse response, int status, String title, String detail, HttpServletRequest request) {
        response.setStatus(status);
        // a buyer's page fails with a page of the portal, which leads nowhere into the console
        ModelAndView page = new ModelAndView(
                request.getRequestURI().startsWith(request.getContextPath() + PortalSecurityConfig.HOME)
                        ? "portal/error"
                        : "console/error");
        page.addObject("status", status);
        page.addObject("title", title);
        page.addObject("detail", detail);
        page.addObject("fmt", Formats.INSTANCE);
        if (request.getUserPrincipal() instanceof Authentication who) {
            page.addObject("me", Person.of(who));
        }
        return page;
    }
}
