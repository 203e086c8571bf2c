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
 * Whether someone is waiting on this instance: the calls of {@code termsgate.jobs.foreground-paths} (checkout's
 * decisions, the decision services) in flight now or lately. {@link BackgroundPace} reads it; nothing else is kept
 * about the calls.
 */
public class ForegroundTraffic extends OncePerRequestFilter {

    private final List<PathPattern> paths;
    private final LongSupplier nanoTime;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final LongAdder calls = new LongAdder();
    private volatile long lastSeen = Long.MIN_VALUE;

    public ForegroundTraffic(List<String> foregroundPaths) {
        this(foregroundPaths, System::nanoTime);
    }

    ForegroundTraffic(List<String> foregroundPaths, LongSupplier nanoTime) {
        PathPatternParser parser = new PathPatternParser();
        this.paths = foregroundPaths.stream().map(parser::parse).toList();
        this.nanoTime = nanoTime;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        PathContainer path = PathContainer.parsePath(
                request.getRequestURI().substring(request.getContextPath().length()));
        return paths.stream().noneMatch(pattern -> pattern.matches(path));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        inFlight.incrementAndGet();
        calls.increment();
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
        return calls.sum();
    }

    /** Whether a foreground call is in flight now or ended less than {@code quietNanos} before {@code now}. */
    boolean busy(long now, long quietNanos) {
        long last = lastSeen;
        return inFlight.get() > 0 || (last != Long.MIN_VALUE && now - last < quietNanos);
    }
}
