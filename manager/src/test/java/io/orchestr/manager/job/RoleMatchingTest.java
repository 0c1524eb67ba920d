package io.orchestr.manager.job;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RoleMatchingTest {

    @Test
    void aRoleOnlyOneNodeServesGetsItEvenWhenAnotherRoleCouldHaveTakenItFirst() {
        Map<String, List<String>> candidates = new LinkedHashMap<>();
        candidates.put("build", List.of("n1", "n2")); // looked at first: would take n1
        candidates.put("test", List.of("n1"));

        assertThat(RoleMatching.match(candidates)).contains(Map.of("build", "n2", "test", "n1"));
    }

    @Test
    void noNodeServesTwoRolesOfOneJob() {
        Map<String, List<String>> candidates = Map.of("build", List.of("n1"), "test", List.of("n1"));

        assertThat(RoleMatching.match(candidates)).isEmpty();
    }

    @Test
    void aRoleWithoutCandidatesLeavesEveryRoleUnplaced() {
        Map<String, List<String>> candidates = Map.of("build", List.of("n1", "n2"), "test", List.of());

        assertThat(RoleMatching.match(candidates)).isEmpty();
    }
}
