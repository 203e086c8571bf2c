package io.termsgate.security;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;

/** Who is behind an authentication, as four eyes count them. */
public final class People {

    private People() {}

    /**
     * The person behind a key or a sign-in: the holder a key names ({@link Role#PERSON_PREFIX}), else the
     * authentication's own name (a console person's, or a team's or a system's key's).
     */
    public static String personOf(Authentication who) {
        for (GrantedAuthority authority : who.getAuthorities()) {
            String name = authority.getAuthority();
            if (name != null && name.startsWith(Role.PERSON_PREFIX)) {
                return name.substring(Role.PERSON_PREFIX.length());
            }
        }
        return who.getName();
    }
}
