/**
 * The only code that knows Drools and DMN. Named as an interface of the engine for the two places that must build
 * the engine outside the application context — the launcher's early compile and the sandbox worker process — which
 * use {@code DroolsDecisionEngine}, {@code EngineProperties} and {@code EarlyCompile}; everything else here is
 * package-private, and the rest of the service sees only {@code io.termsgate.engine}.
 */
@NamedInterface("drools")
package io.termsgate.engine.drools;

import org.springframework.modulith.NamedInterface;
