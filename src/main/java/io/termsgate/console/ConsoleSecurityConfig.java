package io.termsgate.console;

import io.termsgate.security.Role;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.authentication.UsernamePasswordAuthenticationFilter;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;
import org.springframework.security.web.util.matcher.AnyRequestMatcher;

/**
 * Who may see and press what in the web console. People sign in with a form (session cookie, CSRF tokens on every
 * change); the API's key-based chain in {@code security} serves everything else and is untouched: this chain
 * matches only the console's own URLs and the libraries it serves from WebJars.
 *
 * <p>Every button is also checked here, by URL and method, so hiding a button is never the only protection.
 */
@Configuration(proxyBeanMethods = false)
class ConsoleSecurityConfig {

    static final String HOME = "/console";
    static final String LOGIN = "/console/login";
    static final String LOGOUT = "/console/logout";
    static final String DENIED = "/console/denied";

    /** Scripts, styles and fonts from this service only; the console is never framed. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
            + "frame-ancestors 'none'";

    private static final String ANALYST = Role.ANALYST.name();
    private static final String RULE_AUTHOR = Role.RULE_AUTHOR.name();
    private static final String APPROVER = Role.APPROVER.name();
    private static final String AUDITOR = Role.AUDITOR.name();
    private static final String CREDIT_ANALYST = Role.CREDIT_ANALYST.name();
    private static final String CREDIT_MANAGER = Role.CREDIT_MANAGER.name();
    private static final String CFO = Role.CFO.name();

    @Bean
    @Order(1)
    SecurityFilterChain console(
            HttpSecurity http, ConsoleUsers users, SignInThrottle throttle, StrictTransportProperties https)
            throws Exception {
        SignInGuard guard = new SignInGuard(throttle, LOGIN);
        DaoAuthenticationProvider provider = new DaoAuthenticationProvider(users::find);
        provider.setPasswordEncoder(users.passwordEncoder());
        http.securityMatcher(HOME, HOME + "/**", "/webjars/**")
                .authenticationManager(new ProviderManager(provider))
                .authorizeHttpRequests(access -> access
                        // error rendering and the forward to the 'denied' page were authorised on the way in
                        .dispatcherTypeMatchers(DispatcherType.FORWARD, DispatcherType.ERROR)
                        .permitAll()
                        .requestMatchers("/webjars/**", HOME + "/assets/**", LOGIN)
                        .permitAll()
                        // which files an upload may change is checked against the person's roles by the lifecycle
                        .requestMatchers(
                                HttpMethod.POST,
                                HOME + "/rulesets",
                                HOME + "/rulesets/*/backtests",
                                HOME + "/rulesets/*/shadow",
                                HOME + "/rulesets/*/shadow/stop")
                        .hasAnyRole(ANALYST, RULE_AUTHOR)
                        .requestMatchers(HttpMethod.POST, HOME + "/rulesets/*/approve", HOME + "/rulesets/*/activate")
                        .hasRole(APPROVER)
                        .requestMatchers(HOME + "/rulesets", HOME + "/rulesets/**")
                        .hasAnyRole(ANALYST, RULE_AUTHOR, APPROVER, AUDITOR)
                        .requestMatchers(HOME + "/decisions", HOME + "/decisions/**", HOME + "/audit/**")
                        .hasRole(AUDITOR)
                        // which level and terms a person may decide is checked by the referrals' service
                        .requestMatchers(HttpMethod.POST, HOME + "/referrals/*/approve", HOME + "/referrals/*/decline")
                        .hasAnyRole(CREDIT_ANALYST, CREDIT_MANAGER, CFO)
                        .requestMatchers(HttpMethod.GET, HOME + "/referrals", HOME + "/referrals/*")
                        .hasAnyRole(CREDIT_ANALYST, CREDIT_MANAGER, CFO, AUDITOR)
                        .requestMatchers(HOME + "/referrals", HOME + "/referrals/**")
                        .denyAll()
                        // the business's people only: a buyer signed in (to the portal) opens no console page
                        .anyRequest()
                        .hasAnyRole(ANALYST, RULE_AUTHOR, APPROVER, AUDITOR, CREDIT_ANALYST, CREDIT_MANAGER, CFO))
                .addFilterBefore(guard.filter(), UsernamePasswordAuthenticationFilter.class)
                .formLogin(form -> form.loginPage(LOGIN)
                        .successHandler(guard.onSuccess(new HomeAfterSignIn()))
                        .failureHandler(guard.onFailure()))
                .logout(logout -> logout.logoutUrl(LOGOUT)
                        .logoutSuccessUrl(LOGIN + "?signedout")
                        .deleteCookies("JSESSIONID"))
                .httpBasic(basic -> basic.disable())
                .headers(headers -> headers.contentSecurityPolicy(csp -> csp.policyDirectives(CONTENT_SECURITY_POLICY))
                        .frameOptions(frame -> frame.deny())
                        .httpStrictTransportSecurity(https::apply)
                        .referrerPolicy(
                                referrer -> referrer.policy(ReferrerPolicyHeaderWriter.ReferrerPolicy.SAME_ORIGIN)))
                .exceptionHandling(errors -> errors
                        // a page's background request (htmx) after the session ended: send the whole page to sign-in
                        .defaultAuthenticationEntryPointFor(
                                signInAgain(), request -> request.getHeader("HX-Request") != null)
                        .defaultAuthenticationEntryPointFor(
                                new LoginUrlAuthenticationEntryPoint(LOGIN), AnyRequestMatcher.INSTANCE)
                        .accessDeniedPage(DENIED));
        return http.build();
    }

    private static AuthenticationEntryPoint signInAgain() {
        return (request, response, e) -> {
            response.setHeader("HX-Redirect", request.getContextPath() + LOGIN);
            response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
        };
    }
}
