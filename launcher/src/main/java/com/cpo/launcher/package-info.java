/**
 * The run command: the whole platform on one machine, each component its own process, with simulated testers.
 */
package com.cpo.launcher;
