package io.termsgate.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;
import org.springframework.stereotype.Component;

/**
 * Looks up API keys. This holds no key: each configured key is kept only as its SHA-256 digest beside what it
 * grants ({@link Caller}); a presented key is digested and compared with every digest in constant time
 * ({@link MessageDigest#isEqual}), so neither a secret nor how much of one matched is ever exposed by timing.
 *
 * <p>Refuses to start under the {@code prod} profile while any demo key ({@code demo-...}) is configured, and warns
 * loudly when demo keys serve anywhere else.
 */
@Component
class ApiKeys implements ApiKeyHolders {

    private static final Logger log = LoggerFactory.getLogger(ApiKeys.class);
    static final String DEMO_PREFIX = "demo-";

    /** Who a key is and what it may do: everything of a configured key except the key. */
    public record Caller(String name, Set<Role> roles, String customerId, String person) {
        public Caller {
            roles = Set.copyOf(roles);
        }
    }

    private record Known(byte[] digest, Caller caller) {}

    private final List<Known> known = new ArrayList<>();
    private final List<Holder> holders = new ArrayList<>();

    public ApiKeys(SecurityProperties properties, Environment environment) {
        List<SecurityProperties.ApiKey> demo = properties.apiKeys().stream()
                .filter(k -> k.key().startsWith(DEMO_PREFIX))
                .toList();
        if (!demo.isEmpty()) {
            if (environment.acceptsProfiles(Profiles.of("prod"))) {
                throw new IllegalStateException(
                        "Refusing to start under the prod profile with demo API keys configured: "
                                + demo.stream()
                                        .map(SecurityProperties.ApiKey::name)
                                        .toList()
                                + ". Configure real keys through TERMSGATE_SECURITY_API_KEYS_<n>_NAME/_KEY/_ROLES.");
            }
            log.warn(
                    "Serving with DEMO API keys {}: anyone who reads the README can call this service. "
                            + "Never expose it like this; the prod profile refuses to start with them.",
                    demo.stream().map(SecurityProperties.ApiKey::name).toList());
        }
        for (SecurityProperties.ApiKey key : properties.apiKeys()) {
            String problem = BuyerAccess.configurationProblem(key.roles(), key.customerId());
            if (problem != null) {
                throw new IllegalStateException("API key " + key.name() + " " + problem + ". Set "
                        + "TERMSGATE_SECURITY_API_KEYS_<n>_CUSTOMER_ID for a BUYER key, and only for one.");
            }
            if (key.roles().stream().anyMatch(Role::isApprovalLevel) && key.person() == null) {
                throw new IllegalStateException(
                        "API key " + key.name() + " decides referred orders but names no person;"
                                + " set TERMSGATE_SECURITY_API_KEYS_<n>_PERSON to the console name of the person who holds it,"
                                + " so four eyes count people, not keys");
            }
            if (key.roles().contains(Role.APPROVER) && key.person() == null) {
                throw new IllegalStateException("API key " + key.name() + " approves rulesets but names no person;"
                        + " set TERMSGATE_SECURITY_API_KEYS_<n>_PERSON to the console name of the person who holds it,"
                        + " so four eyes count people, not keys (a team's or a system's key cannot approve)");
            }
            if (holders.stream().anyMatch(h -> h.key().equals(key.name()))) {
                throw new IllegalStateException(
                        "Two API keys are named " + key.name() + "; a key's name is who acted, so each names one key");
            }
            holders.add(new Holder(key.name(), key.person()));
            byte[] digest = digest(key.key());
            if (known.stream().anyMatch(k -> MessageDigest.isEqual(k.digest(), digest))) {
                throw new IllegalStateException("Two API keys share the same secret; the second is " + key.name());
            }
            known.add(new Known(digest, new Caller(key.name(), key.roles(), key.customerId(), key.person())));
        }
        if (known.isEmpty()) {
            log.warn("No API keys configured: every /api call will be refused with 401");
        }
    }

    @Override
    public List<Holder> holders() {
        return List.copyOf(holders);
    }

    /** The caller a presented key stands for: every digest is compared, whichever matches. */
    public Optional<Caller> find(String presented) {
        if (presented == null || presented.isEmpty() || presented.length() > 512) {
            return Optional.empty();
        }
        byte[] digest = digest(presented);
        Caller found = null;
        for (Known k : known) {
            if (MessageDigest.isEqual(k.digest(), digest)) {
                found = k.caller();
            }
        }
        return Optional.ofNullable(found);
    }

    private static byte[] digest(String key) {
        try {
            byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(bytes);
            Arrays.fill(bytes, (byte) 0);
            return hash;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
