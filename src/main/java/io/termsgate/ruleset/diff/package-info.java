/** What changed between two ruleset versions, as an approver reads it (API and console). */
@NamedInterface("diff")
package io.termsgate.ruleset.diff;

import org.springframework.modulith.NamedInterface;
