package io.termsgate.console;

import io.termsgate.engine.ApprovalRoute;
import io.termsgate.referral.Approver;
import io.termsgate.security.BuyerAccess;
import io.termsgate.security.Role;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;

/**
 * The person signed in, as the pages need them: their name and what they may press.
 *
 * @param customerId the customer a buyer is bound to; null for the business's people
 */
record Person(String name, Set<String> roles, String customerId) {

    static Person of(Authentication who) {
        Set<String> roles = new TreeSet<>();
        for (GrantedAuthority authority : who.getAuthorities()) {
            if (authority.getAuthority().startsWith("ROLE_")) {
                roles.add(authority.getAuthority().substring("ROLE_".length()));
            }
        }
        return new Person(who.getName(), roles, BuyerAccess.customerOf(who).orElse(null));
    }

    /** A buyer: signs in to the portal and sees its own line there, nothing of the console. */
    public boolean isBuyer() {
        return customerId != null;
    }

    /** One of the business's people: may open the console. */
    public boolean isStaff() {
        return isRulesetReader() || isReferralDecider();
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

    /** May see the rulesets pages (every console role but the levels deciding referred orders). */
    public boolean isRulesetReader() {
        return isUploader() || isApprover() || isAuditor();
    }

    /** The person as an approver of referred orders, with the highest level their roles give (or none). */
    public Approver approver() {
        return Approver.of(name, roles.stream().map(role -> "ROLE_" + role).toList());
    }

    /** The highest level of delegated authority held: CREDIT_ANALYST, CREDIT_MANAGER or CFO; null for none. */
    public ApprovalRoute level() {
        return approver().level().orElse(null);
    }

    /** May approve or decline referred orders (at their level or below). */
    public boolean isReferralDecider() {
        return level() != null;
    }

    /** May read the referral queues and cases: those who decide them, and auditors. */
    public boolean isReferralReader() {
        return isReferralDecider() || isAuditor();
    }
}
