package io.termsgate.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Caps request bodies before anything reads them: a declared length over the cap is answered 413 at once, and a
 * body without a declared length is cut off at the cap while it is read (the parser then fails and the answer is
 * 413 too). JSON requests are tiny; ruleset uploads may be large, and a receivables file from the ERP larger
 * still (it is streamed into the database, never held in memory).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class BodySizeLimitFilter extends OncePerRequestFilter {

    /**
     * @param maxJsonBody the largest JSON body (a decision request is well under 2 KB)
     * @param maxUploadBody the largest ruleset upload (zip or multipart)
     * @param maxReceivablesBody the largest receivables file ({@code POST /api/v1/receivables})
     * @param maxBatchBody the largest batch of decision requests ({@code POST /api/v1/batches})
     */
    @ConfigurationProperties("termsgate.http")
    record Limits(
            @DefaultValue("64KB") DataSize maxJsonBody,
            @DefaultValue("64MB") DataSize maxUploadBody,
            @DefaultValue("1GB") DataSize maxReceivablesBody,
            @DefaultValue("4GB") DataSize maxBatchBody) {}

    /** The one path whose body may be as large as a receivables file, whatever its content type says. */
    static final String RECEIVABLES = "/api/v1/receivables";
    /** The one path whose body may be as large as a batch of millions of decision requests. */
    static final String BATCHES = "/api/v1/batches";

    private final Limits limits;
    private final ObjectMapper json;

    BodySizeLimitFilter(Limits limits, ObjectMapper json) {
        this.limits = limits;
        this.json = json;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String type =
                request.getContentType() == null ? "" : request.getContentType().toLowerCase();
        boolean upload = type.startsWith("multipart/")
                || type.startsWith("application/zip")
                || type.startsWith("application/x-zip");
        String path = request.getRequestURI().substring(request.getContextPath().length());
        boolean receivables = RECEIVABLES.equals(path);
        boolean batch = BATCHES.equals(path);
        long limit = (receivables
                        ? limits.maxReceivablesBody()
                        : batch ? limits.maxBatchBody() : upload ? limits.maxUploadBody() : limits.maxJsonBody())
                .toBytes();
        if (request.getContentLengthLong() > limit) {
            response.setStatus(HttpStatus.PAYLOAD_TOO_LARGE.value());
            response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            json.writeValue(
                    response.getOutputStream(),
                    ProblemResponses.problem(
                            HttpStatus.PAYLOAD_TOO_LARGE,
                            ProblemTypes.PAYLOAD_TOO_LARGE,
                            "Payload too large",
                            "The request body is " + request.getContentLengthLong() + " bytes; at most " + limit
                                    + " are accepted here"));
            return;
        }
        // every body is counted as it is read, a chunked one too; only multipart is left to the container, whose
        // parser counts it against spring.servlet.multipart.max-request-size while reading
        chain.doFilter(
                type.startsWith("multipart/") && !receivables && !batch ? request : new Limited(request, limit),
                response);
    }

    /** Thrown while reading a body that grows past its cap. */
    static final class TooLarge extends IOException {
        final long limit;

        TooLarge(long limit) {
            super("the request body is larger than " + limit + " bytes");
            this.limit = limit;
        }
    }

    private static final class Limited extends HttpServletRequestWrapper {
        private final long limit;
        private ServletInputStream stream;

        Limited(HttpServletRequest request, long limit) {
            super(request);
            this.limit = limit;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                ServletInputStream in = super.getInputStream();
                stream = new ServletInputStream() {
                    private long read;

                    @Override
                    public int read() throws IOException {
                        int b = in.read();
                        if (b >= 0 && ++read > limit) {
                            throw new TooLarge(limit);
                        }
                        return b;
                    }

                    @Override
                    public int read(byte[] buffer, int off, int len) throws IOException {
                        int n = in.read(buffer, off, len);
                        if (n > 0 && (read += n) > limit) {
                            throw new TooLarge(limit);
                        }
                        return n;
                    }

                    @Override
                    public boolean isFinished() {
                        return in.isFinished();
                    }

                    @Override
                    public boolean isReady() {
                        return in.isReady();
                    }

                    @Override
                    public void setReadListener(ReadListener listener) {
                        in.setReadListener(listener);
                    }
                };
            }
            return stream;
        }
    }
}
