package io.orchestr.node.exec;

import io.orchestr.node.JobHandler;
import io.orchestr.node.quarkus.JobType;
import io.orchestr.shared.Names;
import io.quarkus.arc.lookup.LookupIfProperty;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;

/**
 * The {@code exec} type of the runnable node, served only with {@code orchestr.node.exec=true}
 * ({@code ORCHESTR_NODE_EXEC=true}): a node without it never receives {@code exec} jobs, since they wait on a queue
 * of their own that only nodes with an {@code exec} handler consume. Commands run in {@code orchestr.node.exec.dir}
 * ({@code ORCHESTR_NODE_EXEC_DIR}, the node's working folder by default); the secrets their {@code env} may name are
 * the files of {@code orchestr.node.secrets.dir} ({@code ORCHESTR_NODE_SECRETS_DIR}, none by default).
 */
@Singleton
public class ExecHandlers {
    private static final Logger LOG = LoggerFactory.getLogger(ExecHandlers.class);

    @Produces
    @Singleton
    @JobType(Names.EXEC_TYPE)
    @LookupIfProperty(name = "orchestr.node.exec", stringValue = "true")
    JobHandler exec(@ConfigProperty(name = "orchestr.node.exec.dir", defaultValue = ".") String dir,
                    @ConfigProperty(name = "orchestr.node.secrets.dir") Optional<String> secretsDir) {
        ExecJob job = new ExecJob(Path.of(dir), secretsDir.map(Path::of).orElse(null), System.getenv(),
                Clock.systemUTC());
        LOG.info("This node runs exec jobs (ORCHESTR_NODE_EXEC=true): commands run in {} with a clean environment"
                + " (PATH, HOME and LANG of the node, and the job's own)", Path.of(dir).toAbsolutePath().normalize());
        return job;
    }
}
