/**
 * Unit tests of job handlers without a broker or a manager: {@link io.orchestr.node.testkit.JobRun} runs one
 * handler on a virtual thread, as the node does, with a context the test controls, and tells how the run ended.
 */
package io.orchestr.node.testkit;
