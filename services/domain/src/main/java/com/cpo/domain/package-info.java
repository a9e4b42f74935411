/**
 * The domain core in plain Java, no framework: limits and which one binds, the verdict rules of alignment and burn-in, the burn-in alarm rule, yield and RTY definitions, the plant calendar, the parameter catalogue, identifiers. Every component calls these; no rule is written twice.
 */
package com.cpo.domain;
