/**
 * The event contracts: the topic catalogue and how topics are laid out (replication), the single-object codec and serdes, and the check that a station event is fit to judge.
 */
package com.cpo.schemas;
