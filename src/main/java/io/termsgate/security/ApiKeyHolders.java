package io.termsgate.security;

import java.util.List;

/**
 * Who the configured API keys are: each key's name and the person who holds it. For checks that see keys and the
 * console's people together (one identity per person); never the secrets.
 */
public interface ApiKeyHolders {

    /**
     * @param key the key's name, recorded as who acted where the key names no person
     * @param person the console name of the person holding the key, or null for a team's or a system's key
     */
    record Holder(String key, String person) {}

    List<Holder> holders();
}
