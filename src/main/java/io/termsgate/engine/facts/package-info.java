/**
 * The facts rules see: a buyer, an order and the answer sheets the rules fill in. Plain Java, no framework; part of
 * the engine's face, as every module that reads or writes an application speaks in these types.
 */
@NamedInterface("facts")
package io.termsgate.engine.facts;

import org.springframework.modulith.NamedInterface;
