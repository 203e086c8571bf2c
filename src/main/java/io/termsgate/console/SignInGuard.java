package io.termsgate.console;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The sign-in form of the console or the portal, throttled by {@link SignInThrottle}: a try that must still wait is
 * sent back to the sign-in page ({@code ?throttled}) before its password is checked; every failure is logged with
 * the name tried and the client address, never the password.
 */
final class SignInGuard {

    private static final Logger log = LoggerFactory.getLogger(SignInGuard.class);

    private final SignInThrottle throttle;
    private final String login;

    SignInGuard(SignInThrottle throttle, String login) {
        this.throttle = throttle;
        this.login = login;
    }

    /** Goes before the form's own filter: a throttled try is never checked, so it can neither fail nor succeed. */
    OncePerRequestFilter filter() {
        return new OncePerRequestFilter() {
            @Override
            protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                    throws ServletException, IOException {
                if ("POST".equals(request.getMethod())
                        && login.equals(request.getRequestURI()
                                .substring(request.getContextPath().length()))) {
                    String name = request.getParameter("username");
                    Optional<Duration> wait = throttle.wait(name, request.getRemoteAddr());
                    if (wait.isPresent()) {
                        log.warn(
                                "Sign-in at {} refused for {} more ms: name {} from {} failed too often",
                                login,
                                wait.get().toMillis(),
                                printable(name),
                                request.getRemoteAddr());
                        response.setHeader(
                                "Retry-After",
                                Long.toString(Math.max(1, wait.get().toSeconds())));
                        response.sendRedirect(request.getContextPath() + login + "?throttled");
                        return;
                    }
                }
                chain.doFilter(request, response);
            }
        };
    }

    AuthenticationFailureHandler onFailure() {
        return (request, response, exception) -> failed(request, response, exception);
    }

    AuthenticationSuccessHandler onSuccess(AuthenticationSuccessHandler then) {
        return (request, response, authentication) -> {
            throttle.succeeded(authentication.getName());
            then.onAuthenticationSuccess(request, response, authentication);
        };
    }

    private void failed(HttpServletRequest request, HttpServletResponse response, AuthenticationException exception)
            throws IOException {
        String name = request.getParameter("username");
        int failures = throttle.failed(name, request.getRemoteAddr());
        log.warn(
                "Failed sign-in at {}: name {} from {} ({} failure(s) for the name within the window)",
                login,
                printable(name),
                request.getRemoteAddr(),
                failures);
        response.sendRedirect(request.getContextPath() + login + "?failed");
    }

    /** A name as typed can hold anything: never a line break or control character into the log, never a novel. */
    static String printable(String name) {
        if (name == null) {
            return "(none)";
        }
        String cut = name.length() > 100 ? name.substring(0, 100) + "..." : name;
        return "'" + cut.replaceAll("\\p{Cntrl}", "?") + "'";
    }
}
