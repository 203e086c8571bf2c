package io.termsgate.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates a request by its {@code X-API-Key} header. The principal is the key's name, the authorities its
 * roles. A request without the header goes on unauthenticated (and is refused wherever a role is needed); a header
 * with an unknown key is refused at once.
 */
class ApiKeyAuthenticationFilter extends OncePerRequestFilter {

    static final String HEADER = "X-API-Key";

    private final ApiKeys keys;
    private final ProblemWriter problems;

    ApiKeyAuthenticationFilter(ApiKeys keys, ProblemWriter problems) {
        this.keys = keys;
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String presented = request.getHeader(HEADER);
        if (presented != null) {
            Optional<SecurityProperties.ApiKey> key = keys.find(presented);
            if (key.isEmpty()) {
                problems.unauthenticated(response, "The X-API-Key header does not hold a known API key");
                return;
            }
            var authentication = UsernamePasswordAuthenticationToken.authenticated(
                    key.get().name(),
                    null,
                    key.get().roles().stream()
                            .map(role -> new SimpleGrantedAuthority(role.authority()))
                            .toList());
            SecurityContextHolder.getContext().setAuthentication(authentication);
        }
        chain.doFilter(request, response);
    }
}
