package io.orchestr.node;

import io.orchestr.node.testing.JobRecorder;
import io.orchestr.node.testing.NodeTestBase;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class ClusterTest extends NodeTestBase {

    @Test
    void everyJobRunsExactlyOnceAcrossThreeNodes() {
        manager.grantAll();
        Set<UUID> nodeIds = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            nodeIds.add(idOf(start(node("cluster-" + i).maxWorkers(5).handler(recorder.untilCancelled()))));
        }
        Set<UUID> jobs = new HashSet<>();
        for (int i = 0; i < 12; i++) {
            jobs.add(broker.publishJob("job-" + i).jobId());
        }

        eventually().until(() -> recorder.runningCount() == 12);
        eventually().during(Duration.ofSeconds(1)).until(() -> recorder.starts().size() == 12);

        assertThat(recorder.starts()).extracting(JobRecorder.Start::jobId).containsExactlyInAnyOrderElementsOf(jobs);
        assertThat(recorder.starts()).allSatisfy(start -> {
            assertThat(start.epoch()).isEqualTo(1);
            assertThat(nodeIds).contains(start.nodeId());
        });
        assertThat(recorder.starts().stream().collect(Collectors.groupingBy(JobRecorder.Start::nodeId,
                Collectors.counting())).values()).allSatisfy(count -> assertThat(count).isLessThanOrEqualTo(5));
        assertThat(broker.readyJobs()).isZero();
        assertThat(listener.events("jobEnded")).isEmpty();
    }
}
