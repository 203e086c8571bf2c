package io.termsgate.referral;

import io.termsgate.engine.ApprovalRoute;
import io.termsgate.security.Role;
import java.util.Collection;
import java.util.Optional;

/**
 * A person (or API key) deciding referred orders, with the highest approval level its roles give:
 * {@code CREDIT_ANALYST} < {@code CREDIT_MANAGER} < {@code CFO}. A case routed to a level can be decided at that level
 * or above.
 *
 * @param name who, as recorded with the decision (an API key's name or a console person's)
 * @param person the person behind it ({@code PERSON:<name>}: a key's configured holder, a console person's own name):
 *     four eyes need two different people, whichever keys or sign-ins they use
 * @param level the highest level held, or empty when the caller holds none
 */
public record Approver(String name, String person, Optional<ApprovalRoute> level) {

    /** The approver behind a caller with these granted authorities ({@code ROLE_CFO}, {@code PERSON:...}). */
    public static Approver of(String name, Collection<String> authorities) {
        String person = authorities.stream()
                .filter(a -> a.startsWith(Role.PERSON_PREFIX))
                .map(a -> a.substring(Role.PERSON_PREFIX.length()))
                .findFirst()
                .orElse(name);
        ApprovalRoute level = null;
        for (ApprovalRoute candidate :
                new ApprovalRoute[] {ApprovalRoute.CREDIT_ANALYST, ApprovalRoute.CREDIT_MANAGER, ApprovalRoute.CFO}) {
            if (authorities.contains(roleOf(candidate).authority())) {
                level = candidate;
            }
        }
        return new Approver(name, person, Optional.ofNullable(level));
    }

    static Role roleOf(ApprovalRoute level) {
        return switch (level) {
            case CREDIT_ANALYST -> Role.CREDIT_ANALYST;
            case CREDIT_MANAGER -> Role.CREDIT_MANAGER;
            case CFO -> Role.CFO;
            default -> throw new IllegalArgumentException("not an approval level: " + level);
        };
    }

    /** Whether this approver's level reaches {@code route}. */
    public boolean reaches(ApprovalRoute route) {
        return level.isPresent() && level.get().compareTo(route) >= 0;
    }
}
