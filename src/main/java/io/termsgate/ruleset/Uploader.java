package io.termsgate.ruleset;

import io.termsgate.engine.RulesetPaths;
import io.termsgate.engine.RulesetProblem;
import io.termsgate.engine.RulesetSource;
import io.termsgate.security.People;
import io.termsgate.security.Role;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;

/**
 * Who uploads a candidate, and so which files the upload may change. Tables are the analysts' (spreadsheets and DMN
 * models); rule logic ({@code rules/*.drl}) is the rule authors'; scenarios are both's, since they decide nothing and
 * are how either shows that a change does what it should. A change is a file added, removed or altered relative to
 * the version the upload is made on. Someone who holds both roles may change both.
 */
public record Uploader(String name, Set<Role> roles) {

    public Uploader {
        roles = Set.copyOf(roles);
    }

    /** The API key or console person signed in, with the roles they hold, named as the person behind them. */
    public static Uploader of(Authentication who) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (GrantedAuthority authority : who.getAuthorities()) {
            Arrays.stream(Role.values())
                    .filter(r -> r.authority().equals(authority.getAuthority()))
                    .forEach(roles::add);
        }
        return new Uploader(People.personOf(who), roles);
    }

    /** The kinds of file this uploader may change. */
    Set<RulesetPaths.Kind> mayChange() {
        Set<RulesetPaths.Kind> kinds = EnumSet.noneOf(RulesetPaths.Kind.class);
        if (roles.contains(Role.ANALYST)) {
            kinds.addAll(List.of(RulesetPaths.Kind.SPREADSHEET, RulesetPaths.Kind.DMN, RulesetPaths.Kind.SCENARIOS));
        }
        if (roles.contains(Role.RULE_AUTHOR)) {
            kinds.addAll(List.of(RulesetPaths.Kind.DRL, RulesetPaths.Kind.SCENARIOS));
        }
        return kinds;
    }

    /**
     * Every file that {@code after} adds, removes or alters relative to {@code before} and that this uploader may not
     * change, each as a problem naming the file; empty when the upload is theirs to make.
     */
    List<RulesetProblem> outOfReach(RulesetSource before, RulesetSource after, String comparedWith) {
        Set<RulesetPaths.Kind> allowed = mayChange();
        Set<String> paths = new TreeSet<>(before.files().keySet());
        paths.addAll(after.files().keySet());
        List<RulesetProblem> problems = new ArrayList<>();
        for (String path : paths) {
            String change = change(before.files(), after.files(), path);
            RulesetPaths.Kind kind = RulesetPaths.kindOf(path);
            if (change != null && !allowed.contains(kind)) {
                problems.add(RulesetProblem.error(
                        path,
                        "",
                        change + " relative to " + comparedWith + ", but " + whose(kind) + "; " + name + " holds "
                                + new TreeSet<>(roles)));
            }
        }
        return problems;
    }

    private static String change(Map<String, byte[]> before, Map<String, byte[]> after, String path) {
        byte[] was = before.get(path);
        byte[] is = after.get(path);
        if (was == null) {
            return "added";
        }
        if (is == null) {
            return "removed";
        }
        return Arrays.equals(was, is) ? null : "changed";
    }

    private static String whose(RulesetPaths.Kind kind) {
        return switch (kind) {
            case DRL -> "rule logic (DRL) may be changed only by a " + Role.RULE_AUTHOR.name();
            case SPREADSHEET, DMN -> "decision tables and DMN models may be changed only by an " + Role.ANALYST.name();
            case SCENARIOS ->
                "scenarios may be changed only by an " + Role.ANALYST.name() + " or a " + Role.RULE_AUTHOR.name();
        };
    }
}
