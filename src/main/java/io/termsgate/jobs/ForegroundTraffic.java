package io.termsgate.jobs;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.springframework.http.server.PathContainer;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * Whether someone is waiting on this instance: the calls of {@code termsgate.jobs.foreground-calls} (checkout's
 * decisions and their status, the decision services) in flight now or lately. It runs after Spring Security's filter
 * chain, so only a call its role may make counts. {@link BackgroundPace} reads it; nothing else is kept
 * about the calls.
 */
public class ForegroundTraffic extends OncePerRequestFilter {

    /** One entry of {@code termsgate.jobs.foreground-calls}: a method and a path pattern. */
    private record Call(String method, PathPattern path) {}

    private final List<Call> calls;
    private final LongSupplier nanoTime;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final LongAdder seen = new LongAdder();
    private volatile long lastSeen = Long.MIN_VALUE;

    /** @param foregroundCalls entries like {@code "POST /api/v1/credit-decisions"} (a method, a Spring path pattern) */
    public ForegroundTraffic(List<String> foregroundCalls) {
        this(foregroundCalls, System::nanoTime);
    }

    /** @throws IllegalArgumentException naming the entry that is not a method and a path pattern */
    ForegroundTraffic(List<String> foregroundCalls, LongSupplier nanoTime) {
        PathPatternParser parser = new PathPatternParser();
        this.calls = foregroundCalls.stream().map(entry -> call(parser, entry)).toList();
        this.nanoTime = nanoTime;
    }

    private static Call call(PathPatternParser parser, String entry) {
        String[] parts = entry.strip().split("\\s+");
        if (parts.length != 2 || !parts[0].matches("GET|POST|PUT|PATCH|DELETE") || !parts[1].startsWith("/")) {
            throw new IllegalArgumentException("termsgate.jobs.foreground-calls: '" + entry
                    + "' is not a method (GET, POST, PUT, PATCH, DELETE) and a path starting with /");
        }
        return new Call(parts[0], parser.parse(parts[1]));
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        // every request of the service passes here: the path is parsed only when a call of its method may match
        String method = request.getMethod();
        PathContainer path = null;
        for (Call call : calls) {
            if (call.method().equals(method)) {
                if (path == null) {
                    path = PathContainer.parsePath(request.getRequestURI()
                            .substring(request.getContextPath().length()));
                }
                if (call.path().matches(path)) {
                    return false;
                }
            }
        }
        return true;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        inFlight.incrementAndGet();
        seen.increment();
        lastSeen = nanoTime.getAsLong();
        try {
            chain.doFilter(request, response);
        } finally {
            lastSeen = nanoTime.getAsLong();
            inFlight.decrementAndGet();
        }
    }

    /** How many foreground calls came in since start (authenticated and authorised ones: see PaceConfig). */
    long calls() {
        return seen.sum();
    }

    /** Whether a foreground call is in flight now or ended less than {@code quietNanos} before {@code now}. */
    boolean busy(long now, long quietNanos) {
        long last = lastSeen;
        return inFlight.get() > 0 || (last != Long.MIN_VALUE && now - last < quietNanos);
    }
}
