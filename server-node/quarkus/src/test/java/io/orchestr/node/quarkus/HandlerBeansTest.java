package io.orchestr.node.quarkus;

import io.orchestr.node.JobHandler;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HandlerBeansTest {
    private static final JobHandler HANDLER = ctx -> {
    };

    @Test
    void eachBeanServesTheTypeItsQualifierNames() {
        JobHandler other = ctx -> {
        };

        assertThat(HandlerBeans.byType(List.of(
                new HandlerBeans.Found("a.Sync", Optional.of("sync"), HANDLER),
                new HandlerBeans.Found("a.Report", Optional.of("report"), other))))
                .containsOnlyKeys("sync", "report")
                .containsEntry("sync", HANDLER)
                .containsEntry("report", other);
    }

    @Test
    void anApplicationWithNoHandlerIsRefusedWithAMessageSayingHowToAddOne() {
        assertThatThrownBy(() -> HandlerBeans.byType(List.of()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("has no job handler")
                .hasMessageContaining("@JobType(\"sync-orders\")");
    }

    @Test
    void aHandlerWithoutJobTypeAndTwoHandlersOfOneTypeAreNamed() {
        assertThatThrownBy(() -> HandlerBeans.byType(List.of(
                new HandlerBeans.Found("a.Untyped", Optional.empty(), HANDLER),
                new HandlerBeans.Found("a.First", Optional.of("sync"), HANDLER),
                new HandlerBeans.Found("a.Second", Optional.of("sync"), HANDLER))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("a.Untyped implements JobHandler but has no @JobType")
                .hasMessageContaining("job type 'sync' has two handlers: a.First and a.Second");
    }

    @Test
    void orchestrNodeTypesKeepsOnlyTheHandlersOfTheTypesItNames() {
        Map<String, JobHandler> all = Map.of("a", HANDLER, "b", HANDLER, "c", HANDLER);

        assertThat(HandlerBeans.only(all, Optional.of(Set.of("a", "c")))).containsOnlyKeys("a", "c");
        assertThat(HandlerBeans.only(all, Optional.empty())).containsOnlyKeys("a", "b", "c");
    }

    @Test
    void orchestrNodeTypesNamingATypeWithoutHandlerIsRefused() {
        assertThatThrownBy(() -> HandlerBeans.only(Map.of("a", HANDLER), Optional.of(Set.of("a", "z"))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("ORCHESTR_NODE_TYPES")
                .hasMessageContaining("[z], which it has none for");
    }
}
