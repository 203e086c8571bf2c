package io.termsgate.console;

import io.termsgate.security.Role;
import jakarta.servlet.DispatcherType;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.authentication.UsernamePasswordAuthenticationFilter;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;
import org.springframework.security.web.util.matcher.AnyRequestMatcher;

/**
 * Who may see the buyers' portal: people with the role BUYER, each seeing the line of the customer they are bound to
 * (the page takes no customer id from the request, so there is nothing to swap). Signing in works as in the console
 * (form, session cookie, CSRF token on every form, the same people and passwords), but on the portal's own URLs, so
 * that the portal can be published to buyers while the console stays inside: nothing here links to or loads from
 * {@code /console}.
 */
@Configuration(proxyBeanMethods = false)
class PortalSecurityConfig {

    static final String HOME = "/portal";
    static final String LOGIN = "/portal/login";
    static final String LOGOUT = "/portal/logout";
    static final String DENIED = "/portal/denied";

    @Bean
    @Order(2) // after the console's chain, before the API's, which matches everything else
    SecurityFilterChain portal(
            HttpSecurity http, ConsoleUsers users, SignInThrottle throttle, StrictTransportProperties https)
            throws Exception {
        SignInGuard guard = new SignInGuard(throttle, LOGIN);
        DaoAuthenticationProvider provider = new DaoAuthenticationProvider(users::find);
        provider.setPasswordEncoder(users.passwordEncoder());
        http.securityMatcher(HOME, HOME + "/**")
                .authenticationManager(new ProviderManager(provider))
                .authorizeHttpRequests(access -> access
                        // error rendering and the forward to the 'denied' page were authorised on the way in
                        .dispatcherTypeMatchers(DispatcherType.FORWARD, DispatcherType.ERROR)
                        .permitAll()
                        .requestMatchers(HOME + "/assets/**", LOGIN)
                        .permitAll()
                        .anyRequest()
                        .hasRole(Role.BUYER.name()))
                .addFilterBefore(guard.filter(), UsernamePasswordAuthenticationFilter.class)
                .formLogin(form -> form.loginPage(LOGIN)
                        .successHandler(guard.onSuccess(new HomeAfterSignIn()))
                        .failureHandler(guard.onFailure()))
                .logout(logout -> logout.logoutUrl(LOGOUT)
                        .logoutSuccessUrl(LOGIN + "?signedout")
                        .deleteCookies("JSESSIONID"))
                .httpBasic(basic -> basic.disable())
                .headers(headers -> headers.contentSecurityPolicy(
                                csp -> csp.policyDirectives(ConsoleSecurityConfig.CONTENT_SECURITY_POLICY))
                        .frameOptions(frame -> frame.deny())
                        .httpStrictTransportSecurity(https::apply)
                        .referrerPolicy(
                                referrer -> referrer.policy(ReferrerPolicyHeaderWriter.ReferrerPolicy.SAME_ORIGIN)))
                .exceptionHandling(errors -> errors.defaultAuthenticationEntryPointFor(
                                new LoginUrlAuthenticationEntryPoint(LOGIN), AnyRequestMatcher.INSTANCE)
                        .accessDeniedPage(DENIED));
        return http.build();
    }
}
