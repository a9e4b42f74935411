/**
 * The ledger and the fault scenarios: the whole platform on a three-node cluster under real faults, every boundary checked against what the simulated testers wrote (see the module README).
 */
package com.cpo.systemtest;
