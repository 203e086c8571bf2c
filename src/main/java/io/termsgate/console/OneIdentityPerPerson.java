package io.termsgate.console;

import io.termsgate.security.ApiKeyHolders;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * API key names and console people's names are one namespace, so a name recorded as who acted is one identity: the
 * service refuses to start when a key is named like a person, or when a key's person is not a configured person.
 * (Two keys with one name are refused by the API keys, two people with one name by {@link ConsoleUsers}.) Here,
 * where both are known: {@code security} knows nothing of the console.
 *
 * <p>Without any console people a key's person is checked only against the key names, so a service run with API
 * keys alone still starts.
 */
@Component
class OneIdentityPerPerson {

    OneIdentityPerPerson(ApiKeyHolders keys, ConsoleUsers users) {
        Set<String> people = users.names();
        List<String> problems = new ArrayList<>();
        for (ApiKeyHolders.Holder key : keys.holders()) {
            if (people.contains(key.key())) {
                problems.add("API key " + key.key() + " is named like the console person " + key.key()
                        + "; rename the key (a person's own key names them with _PERSON instead)");
            }
            if (key.person() == null) {
                continue;
            }
            if (!people.isEmpty() && !people.contains(key.person())) {
                problems.add("API key " + key.key() + " names the person " + key.person()
                        + ", who is no console person; set _PERSON to the console name of the person who holds it");
            }
            if (keys.holders().stream().anyMatch(other -> other.key().equals(key.person()))) {
                problems.add("API key " + key.key() + " names the person " + key.person()
                        + ", which is the name of an API key");
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("One identity per person: " + String.join("; ", problems));
        }
    }
}
