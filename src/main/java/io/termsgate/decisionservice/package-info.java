/**
 * Decision services: every DMN model of the live ruleset called over HTTP ({@code /api/v1/models}, in the shape
 * Kogito uses), each call logged in a hash chain of its own beside the decision log and replayable by an auditor
 * under the ruleset version that answered it. The models are evaluated behind the engine's interface
 * ({@link io.termsgate.engine.CompiledRuleset#evaluateModel}); see docs/decision-services.md.
 */
package io.termsgate.decisionservice;
