package io.termsgate.engine.facts;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Step 1's answer sheet. Knock-out rules in DRL call {@link #decline(String)} or {@link #refer(String, String)};
 * the DMN tables read the result as the {@code Knockouts} input. One instance per evaluation, never shared.
 */
public final class KnockoutFindings {

    private final Set<String> reasons = new LinkedHashSet<>();
    private final List<String> referralRoutes = new ArrayList<>();
    private boolean declined;

    /** The buyer is declined on terms; {@code reason} is reported whatever else happens. */
    public void decline(String reason) {
        declined = true;
        reasons.add(reason);
    }

    /** The order must be looked at by at least {@code minimumRoute} (e.g. {@code "CREDIT_MANAGER"}). */
    public void refer(String reason, String minimumRoute) {
        reasons.add(reason);
        referralRoutes.add(minimumRoute);
    }

    public boolean isDeclined() {
        return declined;
    }

    public Set<String> getReasons() {
        return Collections.unmodifiableSet(reasons);
    }

    public List<String> getReferralRoutes() {
        return Collections.unmodifiableList(referralRoutes);
    }
}
