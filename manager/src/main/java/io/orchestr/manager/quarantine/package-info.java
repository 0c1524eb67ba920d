/**
 * Crash-loop quarantine (docs/architecture.md, "Crash-loop quarantine"): the node deaths a job plausibly caused
 * are counted, and a job whose runs ended with their node's death too often is paused instead of being handed to
 * the next node.
 */
package io.orchestr.manager.quarantine;
