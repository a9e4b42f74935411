/**
 * The state the application keeps: the catalogue of store, node and internal topic names, the run state (Avro) and its serde, and the one frame of the hand-written state serdes.
 */
package com.cpo.analytics.state;
