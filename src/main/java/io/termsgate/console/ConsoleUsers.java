package io.termsgate.console;

import io.termsgate.security.BuyerAccess;
import io.termsgate.security.Role;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.DependsOn;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.DelegatingPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;

/**
 * The people of the console, from configuration. Passwords are held only as bcrypt hashes ({@code $2a$...}, or
 * {@code {bcrypt}$2a$...}); anything else is refused at start-up, so a password typed into the configuration by
 * mistake never serves.
 *
 * <p>Refuses to start under the {@code prod} profile while any demo person ({@code demo-...}) is configured, and
 * warns loudly when demo people can sign in anywhere else: the same rule as for the demo API keys.
 */
@Component
@DependsOn("apiKeys") // under prod with demo keys and demo people, the older check, of the API keys, speaks first
class ConsoleUsers {

    private static final Logger log = LoggerFactory.getLogger(ConsoleUsers.class);
    static final String DEMO_PREFIX = "demo-";
    /** What people do in the console; CHECKOUT and OPERATOR are machines, with API keys. */
    static final Set<Role> STAFF = EnumSet.of(
            Role.ANALYST,
            Role.RULE_AUTHOR,
            Role.APPROVER,
            Role.AUDITOR,
            Role.CREDIT_ANALYST,
            Role.CREDIT_MANAGER,
            Role.CFO);
    /** People's roles: the console's, and buyers (in the portal). */
    static final Set<Role> ROLES = EnumSet.of(
            Role.ANALYST,
            Role.RULE_AUTHOR,
            Role.APPROVER,
            Role.AUDITOR,
            Role.CREDIT_ANALYST,
            Role.CREDIT_MANAGER,
            Role.CFO,
            Role.BUYER);

    private static final String BCRYPT_ID = "{bcrypt}";
    private static final Pattern BCRYPT = Pattern.compile("\\$2[aby]?\\$\\d\\d\\$[./A-Za-z0-9]{53}");

    private final Map<String, ConsoleProperties.User> byName = new LinkedHashMap<>();
    private final PasswordEncoder passwords;

    ConsoleUsers(ConsoleProperties properties, Environment environment) {
        BCryptPasswordEncoder bcrypt = new BCryptPasswordEncoder();
        DelegatingPasswordEncoder delegating = new DelegatingPasswordEncoder("bcrypt", Map.of("bcrypt", bcrypt));
        delegating.setDefaultPasswordEncoderForMatches(bcrypt); // hashes written without the {bcrypt} prefix
        this.passwords = delegating;
        for (ConsoleProperties.User user : properties.users()) {
            if (!ROLES.containsAll(user.roles())) {
                throw new IllegalStateException("Console user " + user.name() + " has roles " + user.roles()
                        + "; people may be " + ROLES + " (checkout and operators are machines, with API keys)");
            }
            String buyerProblem = BuyerAccess.configurationProblem(user.roles(), user.customerId());
            if (buyerProblem != null) {
                throw new IllegalStateException("Console user " + user.name() + " " + buyerProblem + ". Set "
                        + "TERMSGATE_CONSOLE_USERS_<n>_CUSTOMER_ID for a BUYER person, and only for one.");
            }
            if (!isBcrypt(user.passwordHash())) {
                throw new IllegalStateException("The password of console user " + user.name() + " is not a bcrypt "
                        + "hash. Configure a hash, never the password itself, e.g. the output of "
                        + "htpasswd -nbBC 12 '' 'the password' | tr -d ':\\n'");
            }
            if (byName.put(user.name(), user) != null) {
                throw new IllegalStateException("Two console users are named " + user.name());
            }
        }
        List<String> demo = byName.keySet().stream()
                .filter(name -> name.startsWith(DEMO_PREFIX))
                .toList();
        if (!demo.isEmpty()) {
            if (environment.acceptsProfiles(Profiles.of("prod"))) {
                throw new IllegalStateException("Refusing to start under the prod profile with demo console users "
                        + "configured: " + demo + ". Configure real people through "
                        + "TERMSGATE_CONSOLE_USERS_<n>_NAME/_PASSWORD_HASH/_ROLES (and _CUSTOMER_ID for a buyer).");
            }
            log.warn(
                    "The web console lets DEMO people {} sign in with the passwords printed in docs/console.md. "
                            + "Never expose it like this; the prod profile refuses to start with them.",
                    demo);
        }
        if (byName.isEmpty()) {
            log.info("No console users configured: nobody can sign in to /console");
        }
    }

    /** Every person's name, in the order configured. */
    Set<String> names() {
        return Collections.unmodifiableSet(byName.keySet());
    }

    /** The demo people configured, for the sign-in page to say so; empty in production. */
    List<String> demoNames() {
        return byName.keySet().stream()
                .filter(name -> name.startsWith(DEMO_PREFIX))
                .toList();
    }

    /** The demo people of one kind: buyers (for the portal's sign-in page) or the business's (the console's). */
    List<String> demoNames(boolean buyers) {
        return demoNames().stream()
                .filter(name -> byName.get(name).roles().contains(Role.BUYER) == buyers)
                .toList();
    }

    /** A fresh copy each time: the authentication manager erases the password of what it is given. */
    UserDetails find(String name) {
        ConsoleProperties.User user = byName.get(name);
        if (user == null) {
            throw new UsernameNotFoundException("no console user " + name);
        }
        List<GrantedAuthority> authorities = new ArrayList<>();
        user.roles().forEach(role -> authorities.add(new SimpleGrantedAuthority(role.authority())));
        if (user.customerId() != null) { // a buyer: bound to its customer
            authorities.add(BuyerAccess.customer(user.customerId()));
        }
        if (user.roles().stream().anyMatch(Role::isApprovalLevel)) {
            // the person, for four eyes: their keys of delegated authority name them the same way
            authorities.add(new SimpleGrantedAuthority(Role.PERSON_PREFIX + user.name()));
        }
        return User.withUsername(user.name())
                .password(user.passwordHash())
                .authorities(authorities)
                .build();
    }

    PasswordEncoder passwordEncoder() {
        return passwords;
    }

    static boolean isBcrypt(String hash) {
        String bare = hash.startsWith(BCRYPT_ID) ? hash.substring(BCRYPT_ID.length()) : hash;
        return BCRYPT.matcher(bare).matches();
    }
}
