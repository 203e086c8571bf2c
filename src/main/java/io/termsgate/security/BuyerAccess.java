package io.termsgate.security;

import java.util.Arrays;
import java.util.Collection;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.springframework.security.authentication.AuthenticationTrustResolver;
import org.springframework.security.authentication.AuthenticationTrustResolverImpl;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;

/**
 * What a buyer may see: its own credit line and nothing else. A BUYER key or person is bound to one customer id, which
 * travels with its authentication as an authority ({@code CUSTOMER:<id>}); the one check that compares it with the
 * customer a request names is here, used on the API's paths by {@code SecurityConfig}.
 */
public final class BuyerAccess {

    /** A customer id as the API takes it. */
    public static final String CUSTOMER_ID = "[A-Za-z0-9._:-]{1,64}";

    static final String CUSTOMER_PREFIX = "CUSTOMER:";
    private static final AuthenticationTrustResolver TRUST = new AuthenticationTrustResolverImpl();

    private BuyerAccess() {}

    /** The authority that binds an authentication to its buyer. */
    public static GrantedAuthority customer(String customerId) {
        return new CustomerAuthority(customerId);
    }

    /** The buyer an authentication acts for: present only for a BUYER key or person. */
    public static Optional<String> customerOf(Authentication who) {
        if (!TRUST.isAuthenticated(who) || !has(who.getAuthorities(), Role.BUYER)) {
            return Optional.empty();
        }
        return who.getAuthorities().stream()
                .map(GrantedAuthority::getAuthority)
                .filter(a -> a != null && a.startsWith(CUSTOMER_PREFIX))
                .map(a -> a.substring(CUSTOMER_PREFIX.length()))
                .findFirst();
    }

    /**
     * Why a key's or person's roles and customer id do not go together, or null when they do: BUYER needs a customer
     * id, nothing else may have one, and BUYER is held alone (a buyer is outside the business: it must not hold a role
     * of the service's own by a slip of configuration).
     */
    public static String configurationProblem(Set<Role> roles, String customerId) {
        boolean buyer = roles.contains(Role.BUYER);
        if (buyer && (customerId == null || customerId.isBlank())) {
            return "has the role BUYER but no customer id; a buyer is bound to one customer (customer-id)";
        }
        if (!buyer && customerId != null) {
            return "has a customer id but not the role BUYER; only a buyer is bound to a customer";
        }
        if (buyer && roles.size() > 1) {
            return "has the role BUYER with "
                    + roles.stream().filter(r -> r != Role.BUYER).sorted().toList() + "; BUYER is held alone";
        }
        return null;
    }

    /**
     * Grants {@code roles} every customer, and a buyer only the customer its own: the path's {@code {customerId}}.
     * Any other customer is refused like a missing role (403), whether or not it exists.
     */
    public static AuthorizationManager<RequestAuthorizationContext> ownLineOr(Role... roles) {
        Set<Role> any = Set.copyOf(Arrays.asList(roles));
        return (Supplier<Authentication> authentication, RequestAuthorizationContext context) -> {
            Authentication who = authentication.get();
            if (!TRUST.isAuthenticated(who)) {
                return new AuthorizationDecision(false);
            }
            if (any.stream().anyMatch(role -> has(who.getAuthorities(), role))) {
                return new AuthorizationDecision(true);
            }
            String asked = context.getVariables().get("customerId");
            return new AuthorizationDecision(
                    asked != null && customerOf(who).filter(asked::equals).isPresent());
        };
    }

    /** Any authenticated key but a buyer's: what a buyer is not explicitly granted, it is refused. */
    public static AuthorizationManager<RequestAuthorizationContext> authenticatedNotBuyer() {
        return (Supplier<Authentication> authentication, RequestAuthorizationContext context) -> {
            Authentication who = authentication.get();
            return new AuthorizationDecision(TRUST.isAuthenticated(who) && !has(who.getAuthorities(), Role.BUYER));
        };
    }

    private static boolean has(Collection<? extends GrantedAuthority> authorities, Role role) {
        return authorities.stream().anyMatch(a -> role.authority().equals(a.getAuthority()));
    }

    /** {@code CUSTOMER:<id>}: not a role, so no {@code hasRole} rule ever matches it. */
    private record CustomerAuthority(String customerId) implements GrantedAuthority {

        @Override
        public String getAuthority() {
            return CUSTOMER_PREFIX + customerId;
        }

        @Override
        public String toString() {
            return getAuthority();
        }
    }
}
