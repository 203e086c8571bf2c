package io.termsgate.security;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.firewall.RequestRejectedHandler;

/**
 * Who may call what. Machine clients authenticate with an API key; each endpoint needs one role. This table is the
 * one in docs/security.md.
 */
@Configuration
class SecurityConfig {

    @Bean
    SecurityFilterChain api(HttpSecurity http, ApiKeys keys, ProblemWriter problems) throws Exception {
        http.csrf(csrf -> csrf.disable()) // API keys travel in a header, never in a cookie: nothing to forge
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .httpBasic(basic -> basic.disable())
                .formLogin(form -> form.disable())
                .logout(logout -> logout.disable())
                .requestCache(cache -> cache.disable())
                .addFilterBefore(new ApiKeyAuthenticationFilter(keys, problems), AnonymousAuthenticationFilter.class)
                .authorizeHttpRequests(access -> access
                        // the continuation of a streamed answer, and error rendering, were authorised on the way in
                        .dispatcherTypeMatchers(DispatcherType.ASYNC, DispatcherType.ERROR)
                        .permitAll()
                        .requestMatchers("/actuator/health", "/actuator/health/**", "/actuator/info")
                        .permitAll()
                        .requestMatchers("/actuator/prometheus")
                        .hasRole(Role.OPERATOR.name())
                        // the published API description is public: it holds no secrets
                        .requestMatchers(
                                HttpMethod.GET, "/v3/api-docs", "/v3/api-docs/**", "/swagger-ui.html", "/swagger-ui/**")
                        .permitAll()
                        .requestMatchers(HttpMethod.GET, "/problems/**")
                        .permitAll()
                        .requestMatchers("/error")
                        .permitAll()
                        // HEAD runs a GET's handler (and answers its Content-Length), but the rules below name GET:
                        // the API offers no HEAD, so no role refused a GET reads around it
                        .requestMatchers(HttpMethod.HEAD, "/api/**")
                        .denyAll()
                        .requestMatchers(HttpMethod.POST, "/api/v1/credit-decisions")
                        .hasRole(Role.CHECKOUT.name())
                        // checkout polls the final state of its own decisions (the controller hides others')
                        .requestMatchers(HttpMethod.GET, "/api/v1/credit-decisions/*/status")
                        .hasAnyRole(Role.CHECKOUT.name(), Role.AUDITOR.name())
                        .requestMatchers(HttpMethod.GET, "/api/v1/credit-decisions", "/api/v1/credit-decisions/**")
                        .hasRole(Role.AUDITOR.name())
                        // operators watch the webhook to checkout; keep this before the broader
                        // /api/v1/referrals/* rule below, which would otherwise grant it to the referral roles
                        .requestMatchers(HttpMethod.GET, "/api/v1/referrals/webhooks")
                        .hasRole(Role.OPERATOR.name())
                        // referred orders: people with delegated authority decide them (their level and the
                        // authority table are checked by the referral module); auditors read them
                        .requestMatchers(HttpMethod.POST, "/api/v1/referrals/*/approve", "/api/v1/referrals/*/decline")
                        .hasAnyRole(Role.CREDIT_ANALYST.name(), Role.CREDIT_MANAGER.name(), Role.CFO.name())
                        .requestMatchers(HttpMethod.GET, "/api/v1/referrals", "/api/v1/referrals/*")
                        .hasAnyRole(
                                Role.CREDIT_ANALYST.name(),
                                Role.CREDIT_MANAGER.name(),
                                Role.CFO.name(),
                                Role.AUDITOR.name())
                        .requestMatchers(HttpMethod.POST, "/api/v1/credit-decisions/*/replay")
                        .hasRole(Role.AUDITOR.name())
                        .requestMatchers(
                                HttpMethod.POST,
                                "/api/v1/credit-lines/*/holds/*/capture",
                                "/api/v1/credit-lines/*/holds/*/release")
                        .hasRole(Role.CHECKOUT.name())
                        // terms suspended by dunning: a credit manager lifts them
                        .requestMatchers(HttpMethod.POST, "/api/v1/credit-lines/*/terms-suspension/lift")
                        .hasRole(Role.CREDIT_MANAGER.name())
                        // a buyer reads its own line and orders only; any other customer is 403, existing or not
                        .requestMatchers(
                                HttpMethod.GET,
                                "/api/v1/credit-lines/{customerId}",
                                "/api/v1/credit-lines/{customerId}/orders")
                        .access(BuyerAccess.ownLineOr(Role.CHECKOUT, Role.AUDITOR))
                        .requestMatchers(HttpMethod.GET, "/api/v1/audit/**")
                        .hasRole(Role.AUDITOR.name())
                        // erasure requests: the privacy officer, and nobody else, destroys a customer's personal data
                        .requestMatchers(HttpMethod.DELETE, "/api/v1/customers/*/personal-data")
                        .hasRole(Role.PRIVACY_OFFICER.name())
                        // what an upload may change (tables or rules) is checked against the uploader's roles by the
                        // lifecycle
                        .requestMatchers(HttpMethod.POST, "/api/v1/rulesets")
                        .hasAnyRole(Role.ANALYST.name(), Role.RULE_AUTHOR.name())
                        .requestMatchers(HttpMethod.POST, "/api/v1/rulesets/*/approve", "/api/v1/rulesets/*/activate")
                        .hasRole(Role.APPROVER.name())
                        .requestMatchers(HttpMethod.POST, "/api/v1/rulesets/*/backtests")
                        .hasAnyRole(Role.ANALYST.name(), Role.RULE_AUTHOR.name())
                        // a challenger in the shadow of live decisions: started and stopped by those who backtest,
                        // its report read by those who read backtest reports (customer ids: the shadow module, AUDITOR)
                        .requestMatchers(HttpMethod.POST, "/api/v1/rulesets/*/shadow")
                        .hasAnyRole(Role.ANALYST.name(), Role.RULE_AUTHOR.name())
                        .requestMatchers(HttpMethod.DELETE, "/api/v1/rulesets/*/shadow")
                        .hasAnyRole(Role.ANALYST.name(), Role.RULE_AUTHOR.name())
                        .requestMatchers(
                                HttpMethod.GET, "/api/v1/rulesets/*/shadow", "/api/v1/rulesets/*/shadow/changes")
                        .hasAnyRole(
                                Role.ANALYST.name(), Role.RULE_AUTHOR.name(), Role.APPROVER.name(), Role.AUDITOR.name())
                        .requestMatchers(HttpMethod.GET, "/api/v1/rulesets", "/api/v1/rulesets/**")
                        .hasAnyRole(
                                Role.ANALYST.name(), Role.RULE_AUTHOR.name(), Role.APPROVER.name(), Role.AUDITOR.name())
                        // decision services: the log of their calls is the auditors' (before the broader rules)
                        .requestMatchers(HttpMethod.GET, "/api/v1/models/calls/*")
                        .hasRole(Role.AUDITOR.name())
                        .requestMatchers(HttpMethod.POST, "/api/v1/models/calls/*/replay")
                        .hasRole(Role.AUDITOR.name())
                        .requestMatchers(HttpMethod.GET, "/api/v1/models")
                        .hasRole(Role.DECISION_CLIENT.name())
                        .requestMatchers(HttpMethod.POST, "/api/v1/models/**")
                        .hasRole(Role.DECISION_CLIENT.name())
                        .requestMatchers(HttpMethod.POST, "/api/v1/receivables")
                        .hasRole(Role.ERP_SYNC.name())
                        .requestMatchers(HttpMethod.GET, "/api/v1/receivables/**")
                        .hasAnyRole(Role.ERP_SYNC.name(), Role.AUDITOR.name())
                        // batch decisions: a client sees its own batches only (the batch module answers 404 for others)
                        .requestMatchers(HttpMethod.POST, "/api/v1/batches")
                        .hasRole(Role.BATCH.name())
                        .requestMatchers(HttpMethod.GET, "/api/v1/batches/*", "/api/v1/batches/*/results")
                        .hasRole(Role.BATCH.name())
                        // exists only under the benchmark profile, from test classes: the same door as deciding
                        .requestMatchers("/bench/**")
                        .hasRole(Role.CHECKOUT.name())
                        // a buyer is outside the business: it gets what is granted above and nothing else
                        .anyRequest()
                        .access(BuyerAccess.authenticatedNotBuyer()))
                .exceptionHandling(
                        errors -> errors.authenticationEntryPoint((request, response, e) -> problems.unauthenticated(
                                        response, "This endpoint needs an API key in the X-API-Key header"))
                                .accessDeniedHandler(
                                        (request, response, e) -> problems.forbidden(response, deniedDetail(request))));
        return http.build();
    }

    /** A URL the firewall refuses (a double slash, an encoded dot segment): a 400 problem like any bad input. */
    @Bean
    RequestRejectedHandler requestRejectedHandler(ProblemWriter problems) {
        return (request, response, e) ->
                problems.rejected(response, "The request URL is not acceptable: " + e.getMessage());
    }

    private static String deniedDetail(HttpServletRequest request) {
        Authentication who = SecurityContextHolder.getContext().getAuthentication();
        String roles = who == null
                ? "none"
                : who.getAuthorities().stream()
                        .map(GrantedAuthority::getAuthority)
                        .filter(a -> a.startsWith("ROLE_"))
                        .map(a -> a.replaceFirst("^ROLE_", ""))
                        .sorted()
                        .toList()
                        .toString();
        return "API key '" + (who == null ? "?" : who.getName()) + "' with roles " + roles + " may not "
                + request.getMethod() + " " + request.getRequestURI();
    }
}
