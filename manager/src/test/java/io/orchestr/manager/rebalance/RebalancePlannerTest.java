package io.orchestr.manager.rebalance;

import io.orchestr.manager.rebalance.RebalancePlanner.Move;
import io.orchestr.manager.rebalance.RebalancePlanner.Plan;
import io.orchestr.manager.store.RebalanceRows.HeldJob;
import io.orchestr.manager.store.RebalanceRows.Node;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class RebalancePlannerTest {
    private static final Node N1 = node(1, 40, "default");
    private static final Node N2 = node(2, 40, "default");
    private static final Node N3 = node(3, 40, "default");

    @Test
    void aThirdNodeOfEqualSlotsGetsTwentyOfSixtyJobsWithinOneAndTheOthersKeepAsMany() {
        List<HeldJob> jobs = new ArrayList<>(jobs("default", N1, 30));
        jobs.addAll(jobs("default", N2, 30));

        Plan plan = RebalancePlanner.plan(List.of(N1, N2, N3), jobs, Set.of(), 60);

        assertThat(plan.settled()).isTrue();
        assertThat(plan.moves()).allMatch(move -> move.to().equals(N3.id()));
        assertThat(after(jobs, plan).values()).allMatch(count -> Math.abs(count - 20) <= 1);
        assertThat(plan.moves()).as("no more moves than needed").hasSize(19);
        assertThat(plan.moves().stream().map(Move::jobId).distinct()).as("each job at most once").hasSize(19);
    }

    @Test
    void sharesFollowTheSlotsAndEveryNodeEndsWithinOneJobOfItsShare() {
        Node big = node(4, 60, "default");
        Node small = node(5, 20, "default");
        Node joined = node(6, 40, "default");
        List<HeldJob> jobs = new ArrayList<>(jobs("default", big, 31));
        jobs.addAll(jobs("default", small, 10));

        Plan plan = RebalancePlanner.plan(List.of(big, small, joined), jobs, Set.of(), 60);

        // 41 jobs over 120 slots: shares 20.5, 6.83, 13.67
        Map<UUID, Long> counts = after(jobs, plan);
        assertThat(Math.abs(counts.get(big.id()) - 20.5)).isLessThanOrEqualTo(1);
        assertThat(Math.abs(counts.get(small.id()) - 41.0 / 6)).isLessThanOrEqualTo(1);
        assertThat(Math.abs(counts.get(joined.id()) - 41.0 / 3)).isLessThanOrEqualTo(1);
    }

    @Test
    void aPoolWhoseNodesAreWithinOneJobOfTheirSharesIsLeftAloneAndSettled() {
        List<HeldJob> jobs = new ArrayList<>(jobs("default", N1, 21));
        jobs.addAll(jobs("default", N2, 20));
        jobs.addAll(jobs("default", N3, 19));

        Plan plan = RebalancePlanner.plan(List.of(N1, N2, N3), jobs, Set.of(), 60);

        assertThat(plan.moves()).isEmpty();
        assertThat(plan.settled()).isTrue();
    }

    @Test
    void stickyJobsStayAndTheOthersMoveInstead() {
        List<HeldJob> sticky = jobs("default", N1, 10).stream().map(job -> withSticky(job, true)).toList();
        List<HeldJob> jobs = new ArrayList<>(sticky);
        jobs.addAll(jobs("default", N1, 20));
        jobs.addAll(jobs("default", N2, 30));

        Plan plan = RebalancePlanner.plan(List.of(N1, N2, N3), jobs, Set.of(), 60);

        Set<UUID> stickyIds = sticky.stream().map(HeldJob::id).collect(Collectors.toSet());
        assertThat(plan.moves()).hasSize(19).noneMatch(move -> stickyIds.contains(move.jobId()));
        assertThat(after(jobs, plan).values()).allMatch(count -> Math.abs(count - 20) <= 1);
    }

    @Test
    void jobsThatCannotMoveNowAndJobsMovedThisRoundStayWhereTheyAre() {
        List<HeldJob> busy = jobs("default", N1, 25).stream().map(job -> new HeldJob(job.id(), job.pool(), false,
                job.nodeId(), false, false)).toList();
        List<HeldJob> movedBefore = jobs("default", N2, 25);
        List<HeldJob> jobs = new ArrayList<>(busy);
        jobs.addAll(movedBefore);
        jobs.addAll(jobs("default", N1, 5));
        jobs.addAll(jobs("default", N2, 5));

        Plan plan = RebalancePlanner.plan(List.of(N1, N2, N3), jobs,
                movedBefore.stream().map(HeldJob::id).collect(Collectors.toSet()), 60);

        assertThat(plan.moves()).hasSize(10).extracting(Move::jobId)
                .doesNotContainAnyElementsOf(ids(busy)).doesNotContainAnyElementsOf(ids(movedBefore));
        assertThat(plan.settled()).as("nothing more can move").isTrue();
    }

    @Test
    void theLimitCapsTheMovesAndLeavesTheRoundUnsettled() {
        List<HeldJob> jobs = new ArrayList<>(jobs("default", N1, 30));
        jobs.addAll(jobs("default", N2, 30));

        Plan plan = RebalancePlanner.plan(List.of(N1, N2, N3), jobs, Set.of(), 7);
        Plan none = RebalancePlanner.plan(List.of(N1, N2, N3), jobs, Set.of(), 0);

        assertThat(plan.moves()).hasSize(7);
        assertThat(plan.settled()).isFalse();
        assertThat(none.moves()).isEmpty();
        assertThat(none.settled()).isFalse();
    }

    @Test
    void aMoveUnderWayCountsWhereItGoesSoTheNextLookAsksForTheRestOnly() {
        List<HeldJob> jobs = new ArrayList<>(jobs("default", N1, 30));
        jobs.addAll(jobs("default", N2, 30));
        Plan first = RebalancePlanner.plan(List.of(N1, N2, N3), jobs, Set.of(), 8);
        // the rows now show those jobs on their target (placed there), as RebalanceRows.heldJobs reads them
        Set<UUID> moved = first.moves().stream().map(Move::jobId).collect(Collectors.toSet());
        List<HeldJob> next = jobs.stream().map(job -> moved.contains(job.id())
                ? new HeldJob(job.id(), job.pool(), false, N3.id(), false, false) : job).toList();

        Plan second = RebalancePlanner.plan(List.of(N1, N2, N3), next, moved, 60);

        assertThat(second.moves()).hasSize(11).extracting(Move::jobId).doesNotContainAnyElementsOf(moved);
        assertThat(after(next, second).values()).allMatch(count -> Math.abs(count - 20) <= 1);
    }

    @Test
    void aTargetKeepsItsFreeSlotsAcrossPoolsAndExecJobsGoOnlyToExecNodes() {
        Node full = new Node(id(7), 4, Set.of("default", "other"), true);
        Node plain = new Node(id(8), 40, Set.of("default"), false);
        Node busy = new Node(id(9), 40, Set.of("default"), true);
        List<HeldJob> jobs = new ArrayList<>(jobs("other", full, 4));
        List<HeldJob> exec = jobs("default", busy, 20).stream().map(job -> new HeldJob(job.id(), job.pool(), true,
                job.nodeId(), true, false)).toList();
        jobs.addAll(exec);

        Plan plan = RebalancePlanner.plan(List.of(full, plain, busy), jobs, Set.of(), 60);

        assertThat(plan.moves()).as("the exec node with room is full, the other runs no exec jobs").isEmpty();
    }

    @Test
    void poolsAreEvenedOnTheirOwnNodesOnly() {
        Node a = node(10, 10, "a");
        Node b = node(11, 10, "a");
        Node c = node(12, 10, "c");
        List<HeldJob> jobs = new ArrayList<>(jobs("a", a, 8));
        jobs.addAll(jobs("c", c, 8));

        Plan plan = RebalancePlanner.plan(List.of(a, b, c), jobs, Set.of(), 60);

        // 8 jobs over two nodes of 10 slots: 5 and 3 are within one job of 4 each
        assertThat(plan.moves()).hasSize(3).allMatch(move -> move.pool().equals("a") && move.to().equals(b.id()));
    }

    @Test
    void jobsOnNodesThatCannotTakeJobsAreLeftOut() {
        UUID draining = id(13);
        List<HeldJob> jobs = new ArrayList<>(jobs("default", N1, 3));
        IntStream.range(0, 30).forEach(i -> jobs.add(new HeldJob(UUID.randomUUID(), "default", false, draining, true,
                false)));

        Plan plan = RebalancePlanner.plan(List.of(N1, N2), jobs, Set.of(), 60);

        // the shares are of the three jobs on N1 and N2 alone: 1.5 each
        assertThat(plan.moves()).singleElement().satisfies(move -> assertThat(move.to()).isEqualTo(N2.id()));
    }

    private static Map<UUID, Long> after(List<HeldJob> jobs, Plan plan) {
        Map<UUID, UUID> moved = new HashMap<>();
        plan.moves().forEach(move -> moved.put(move.jobId(), move.to()));
        return jobs.stream().collect(Collectors.groupingBy(job -> moved.getOrDefault(job.id(), job.nodeId()),
                Collectors.counting()));
    }

    private static List<HeldJob> jobs(String pool, Node node, int count) {
        return IntStream.range(0, count).mapToObj(i -> new HeldJob(UUID.randomUUID(), pool, false, node.id(), true,
                false)).toList();
    }

    private static HeldJob withSticky(HeldJob job, boolean sticky) {
        return new HeldJob(job.id(), job.pool(), job.exec(), job.nodeId(), job.movable(), sticky);
    }

    private static List<UUID> ids(List<HeldJob> jobs) {
        return jobs.stream().map(HeldJob::id).toList();
    }

    private static Node node(int n, int slots, String pool) {
        return new Node(id(n), slots, Set.of(pool), false);
    }

    private static UUID id(int n) {
        return new UUID(0, n);
    }
}
