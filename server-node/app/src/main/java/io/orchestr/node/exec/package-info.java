/**
 * The built-in {@code exec} type: commands, and sequence and parallel groups of them, each command run as a process
 * group that ends with its run, with its node's death too.
 */
package io.orchestr.node.exec;
