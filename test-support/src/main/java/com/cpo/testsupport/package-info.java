/**
 * Real infrastructure without Docker for tests and the local run: a KRaft broker in process, a three-node KRaft cluster of child processes, a PostgreSQL server, free ports, child JVMs.
 */
package com.cpo.testsupport;
