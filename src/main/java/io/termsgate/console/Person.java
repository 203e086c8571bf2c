package io.termsgate.console;

import io.termsgate.security.Role;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;

/** The person signed in, as the pages need them: their name and what they may press. */
record Person(String name, Set<String> roles) {

    static Person of(Authentication who) {
        Set<String> roles = new TreeSet<>();
        for (GrantedAuthority authority : who.getAuthorities()) {
            roles.add(authority.getAuthority().replaceFirst("^ROLE_", ""));
        }
        return new Person(who.getName(), roles);
    }

    public boolean isAnalyst() {
        return roles.contains(Role.ANALYST.name());
    }

    public boolean isRuleAuthor() {
        return roles.contains(Role.RULE_AUTHOR.name());
    }

    /** May upload candidates and start backtests: analysts (tables) and rule authors (DRL). */
    public boolean isUploader() {
        return isAnalyst() || isRuleAuthor();
    }

    public boolean isApprover() {
        return roles.contains(Role.APPROVER.name());
    }

    public boolean isAuditor() {
        return roles.contains(Role.AUDITOR.name());
    }

    /** May see the rulesets pages (every console role may). */
    public boolean isRulesetReader() {
        return isUploader() || isApprover() || isAuditor();
    }
}
