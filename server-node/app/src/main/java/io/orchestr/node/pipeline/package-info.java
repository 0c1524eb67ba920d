/** The runnable node's built-in {@code pipeline} type; see {@link io.orchestr.node.pipeline.PipelineJob}. */
package io.orchestr.node.pipeline;
