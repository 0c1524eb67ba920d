/**
 * The messages that cross the broker, as immutable records. Three families, one per direction:
 * <ul>
 *   <li>{@link io.orchestr.shared.wire.JobMessage}: manager → job queue; a node holds it unacked while the job
 *       runs.</li>
 *   <li>{@link io.orchestr.shared.wire.ToManager}: node → manager queue (claims, snapshots, job ends, answers).</li>
 *   <li>{@link io.orchestr.shared.wire.ToNode}: manager → control exchange → one node or all of them.</li>
 * </ul>
 * Every record tolerates unknown JSON fields, so a newer peer can add fields without breaking an older one.
 */
package io.orchestr.shared.wire;
