/**
 * Test results as an STDF V4 file (Standard Test Data Format, Teradyne, 2007), the binary format that
 * semiconductor yield tools read: one FAR/MIR header per lot, a PIR, PTR per result and PRR per part, and
 * the summaries (TSR, HBR, SBR, PCR, MRR) at the end. Streamed in bounded memory, plain Java on the JDK alone,
 * callable outside Quarkus.
 */
package com.cpo.platform.report.stdf;
