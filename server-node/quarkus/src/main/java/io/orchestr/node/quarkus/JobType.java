package io.orchestr.node.quarkus;

import jakarta.inject.Qualifier;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names the job type a {@link io.orchestr.node.JobHandler} bean runs. The node serves every bean that implements
 * {@code JobHandler} and carries this qualifier, one bean per type:
 *
 * <pre>{@code
 * @ApplicationScoped
 * @JobType("sync-orders")
 * class SyncOrders implements JobHandler {
 *     public void run(JobContext ctx) { ... }
 * }
 * }</pre>
 *
 * <p>The bean needs a scope ({@code @ApplicationScoped} or {@code @Singleton}): CDI does not discover a class by its
 * qualifier alone. A producer method may carry it too. Jobs created without a type have type {@code default}.
 */
@Qualifier
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.FIELD, ElementType.PARAMETER})
public @interface JobType {
    /** The job type, as jobs name it in their {@code type}. */
    String value();
}
