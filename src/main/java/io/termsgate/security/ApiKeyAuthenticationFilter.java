package io.termsgate.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates a request by its {@code X-API-Key} header. The principal is the key's name, the authorities its
 * roles (and a buyer's customer, see {@link BuyerAccess}). A request without the header goes on unauthenticated (and is refused wherever a role is needed); a header
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
            Optional<ApiKeys.Caller> key = keys.find(presented);
            if (key.isEmpty()) {
                problems.unauthenticated(response, "The X-API-Key header does not hold a known API key");
                return;
            }
            List<GrantedAuthority> authorities = new ArrayList<>();
            key.get().roles().forEach(role -> authorities.add(new SimpleGrantedAuthority(role.authority())));
            if (key.get().customerId() != null) { // a buyer's key: bound to its customer
                authorities.add(BuyerAccess.customer(key.get().customerId()));
            }
            if (key.get().person() != null) { // the person who holds the key: four eyes count them
                authorities.add(new SimpleGrantedAuthority(
                        Role.PERSON_PREFIX + key.get().person()));
            }
            var authentication =
                    UsernamePasswordAuthenticationToken.authenticated(key.get().name(), null, authorities);
            SecurityContextHolder.getContext().setAuthentication(authentication);
        }
        chain.doFilter(request, response);
    }
}
