package io.orchestr.cli;

import io.orchestr.client.PageRequest;
import io.orchestr.client.ServerFilter;
import io.orchestr.shared.NodeStatus;
import io.orchestr.shared.api.Page;
import io.orchestr.shared.api.ServerView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.UUID;

/** {@code orchestr servers ...}: the server nodes (one entry per incarnation) and the jobs they run. */
@Command(name = "servers", description = "List, show, drain and undrain server nodes.",
        mixinStandardHelpOptions = true)
final class ServersCommand {
    @ParentCommand
    OrchestrCli cli;

    @Spec
    CommandSpec spec;

    @Command(name = "list", description = "Lists server nodes.", mixinStandardHelpOptions = true)
    int list(@Option(names = "--status", description = "Only servers with this status (${COMPLETION-CANDIDATES}).")
             NodeStatus status,
             @Option(names = "--page", defaultValue = "0", description = "Page number, from 0.") int page,
             @Option(names = "--size", defaultValue = "50", description = "Page size, 1 to 1000.") int size) {
        Page<ServerView> servers = cli.client().servers(new ServerFilter(status), new PageRequest(page, size));
        Table table = new Table("id", "name", "status", "slots", "jobs", "pools", "exec", "last heartbeat");
        servers.items().forEach(server -> table.row(server.id(), server.name(), server.status(),
                server.maxWorkersCount(), server.orchestratedJobs().size(), String.join(",", server.pools()),
                execOf(server), server.lastHeartbeatAt()));
        cli.print(spec.commandLine().getOut(), servers, table);
        return ExitCode.OK;
    }

    @Command(name = "get", description = "Shows one server node and its jobs.", mixinStandardHelpOptions = true)
    int get(@Parameters(paramLabel = "ID", description = "The server's id (its incarnation's).") UUID id) {
        return show(cli.client().server(id));
    }

    @Command(name = "describe", description = "Shows a server node's whole story: its fields, slots used and free,"
            + " and each job it runs with its pool and status.", mixinStandardHelpOptions = true)
    int describe(@Parameters(paramLabel = "ID", description = "The server's id (its incarnation's).") UUID id) {
        ServerView server = cli.client().server(id);
        PrintWriter out = spec.commandLine().getOut();
        if (cli.output == OrchestrCli.Format.json) {
            cli.print(out, server, null);
            return ExitCode.OK;
        }
        int used = server.orchestratedJobs().size();
        Table fields = new Table("field", "value");
        fields.row("id", server.id()).row("name", server.name()).row("status", server.status())
                .row("slots", used + " used, " + Math.max(0, server.maxWorkersCount() - used) + " free of "
                        + server.maxWorkersCount())
                .row("pools", String.join(",", server.pools())).row("exec", execOf(server))
                .row("types", server.types() == null ? null : String.join(",", server.types()))
                .row("started", server.createdAt()).row("last heartbeat", server.lastHeartbeatAt());
        out.print(fields.render());
        out.println();
        out.println("Jobs: " + used);
        Table jobs = new Table("name", "id", "pool", "status");
        server.orchestratedJobs().forEach(job -> jobs.row(job.name(), job.id(), job.pool(), job.status()));
        out.print(jobs.render());
        out.flush();
        return ExitCode.OK;
    }

    @Command(name = "drain", mixinStandardHelpOptions = true, description = {"Drains a server node: it takes no new"
            + " jobs and hands back those it holds, each starting elsewhere only once it stopped here; Draining,"
            + " then Drained. It stays connected, and drained across its reconnects, until undrained."})
    int drain(@Parameters(paramLabel = "ID", description = "The server's id (its incarnation's).") UUID id) {
        return show(cli.client().drain(id));
    }

    @Command(name = "undrain", description = "Makes a drained server node take jobs again.",
            mixinStandardHelpOptions = true)
    int undrain(@Parameters(paramLabel = "ID", description = "The server's id (its incarnation's).") UUID id) {
        return show(cli.client().undrain(id));
    }

    private int show(ServerView server) {
        Table table = new Table("field", "value");
        table.row("id", server.id()).row("name", server.name()).row("status", server.status())
                .row("slots", server.maxWorkersCount()).row("pools", String.join(",", server.pools()))
                .row("exec", execOf(server)).row("last heartbeat", server.lastHeartbeatAt());
        server.orchestratedJobs()
                .forEach(job -> table.row("job", job.name() + " (" + job.id() + ") " + job.status()));
        cli.print(spec.commandLine().getOut(), server, table);
        return ExitCode.OK;
    }

    /** Whether the node runs {@code exec} jobs: {@code no}, {@code yes} (every role), or the roles it serves. */
    private static String execOf(ServerView server) {
        if (!Boolean.TRUE.equals(server.exec())) {
            return "no";
        }
        return server.roles() == null || server.roles().isEmpty() ? "yes" : "roles " + String.join(",", server.roles());
    }
}
