package io.orchestr.shared.work;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WorkParserTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void readsACommandWithEveryOptionOfTheOrchestrForm() {
        Work work = parse("{'command': ['make', 'test'], 'env': {'CI': '1', '_X2': ''}, 'cwd': '/src',"
                + " 'timeout': 'PT10M', 'killGrace': 'PT5S', 'role': 'builder'}");

        assertThat(work).isEqualTo(new Command(List.of("make", "test"), null, Map.of("CI", "1", "_X2", ""), "/src",
                Duration.ofMinutes(10), Duration.ofSeconds(5), "builder"));
        assertThat(work.roles()).containsExactly("builder");
    }

    @Test
    void readsAnEnvValueThatNamesASecretApartFromThePlainValues() {
        Command command = (Command) parse("{'command': 'deploy', 'env': {'MODE': 'fast',"
                + " 'TOKEN': {'secret': 'deploy-token.v2'}}}");

        assertThat(command.env()).isEqualTo(Map.of("MODE", "fast"));
        assertThat(command.secretEnv()).isEqualTo(Map.of("TOKEN", "deploy-token.v2"));
    }

    @Test
    void readsAShellStringAndLeavesUnsetOptionsNullAndNullValuesAbsent() {
        assertThat(parse("{'command': 'echo hi | wc -c', 'env': null, 'timeout': null}"))
                .isEqualTo(Command.ofShell("echo hi | wc -c"));
    }

    @Test
    void readsNestedGroupsOfTheOrchestrFormWithInheritedAndOwnRoles() {
        Work work = parse("{'sequence': [{'command': ['git', 'clone', 'x']},"
                + " {'parallel': [{'command': 'a', 'role': 'db'}, {'command': 'b'}], 'continueOnError': true}],"
                + " 'role': 'app'}");

        assertThat(work).isEqualTo(new Group(Group.Kind.SEQUENCE, List.of(
                Command.ofArgv(List.of("git", "clone", "x")),
                new Group(Group.Kind.PARALLEL, List.of(
                        new Command(null, "a", Map.of(), null, null, null, "db"), Command.ofShell("b")),
                        true, null)), false, "app"));
        assertThat(work.roles()).containsExactly("app", "db");
        assertThat(work.role()).isEqualTo("app");
    }

    @Test
    void readsJobschsFormWithTimeoutsInSeconds() {
        Work work = parse("{'type': 'sequence_group', 'role': 'ci', 'work': ["
                + " {'type': 'execute', 'command': './build.sh', 'timeout': 600},"
                + " {'type': 'parallel_group', 'work': [{'type': 'execute', 'command': ['t', '1'], 'timeout': 1.5},"
                + " {'type': 'execute', 'command': ['t', '2'], 'role': 'gpu'}]}]}");

        assertThat(work).isEqualTo(new Group(Group.Kind.SEQUENCE, List.of(
                new Command(null, "./build.sh", Map.of(), null, Duration.ofMinutes(10), null, null),
                new Group(Group.Kind.PARALLEL, List.of(
                        new Command(List.of("t", "1"), null, Map.of(), null, Duration.ofMillis(1500), null, null),
                        new Command(List.of("t", "2"), null, Map.of(), null, null, null, "gpu")), false, null)),
                false, "ci"));
        assertThat(work.roles()).containsExactly("ci", "gpu");
    }

    @Test
    void mixesTheFormsAndTakesAnIsoDurationInJobschsForm() {
        assertThat(parse("{'sequence': [{'type': 'execute', 'command': 'x', 'timeout': 'PT1M'}]}"))
                .isEqualTo(new Group(Group.Kind.SEQUENCE, List.of(
                        new Command(null, "x", Map.of(), null, Duration.ofMinutes(1), null, null)), false, null));
    }

    @Test
    void namesTheFieldOfEachRoleWhereItFirstAppears() {
        String params = "{'sequence': [{'command': 'a', 'role': 'db'}, {'type': 'parallel_group', 'role': 'web',"
                + " 'work': [{'type': 'execute', 'command': 'b', 'role': 'db'}]}], 'role': 'app'}";

        assertThat(WorkParser.roleFields(json(params))).containsExactly(Map.entry("app", "params.role"),
                Map.entry("db", "params.sequence[0].role"), Map.entry("web", "params.sequence[1].role"));
    }

    @Test
    void acceptsTenLevelsOfNesting() {
        assertThat(parse(nested(10))).isInstanceOf(Group.class);
    }

    @Test
    void refusesAnItemDeeperThanTenLevelsNamingIt() {
        assertRefused(nested(11), "params" + ".sequence[0]".repeat(10));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            no command|{'env': {}}|params.command
            not an object|['ls']|params
            a step not an object|{'sequence': ['ls']}|params.sequence[0]
            two kinds|{'command': 'ls', 'sequence': []}|params.sequence
            blank shell string|{'command': '  '}|params.command
            command of another kind|{'command': 3}|params.command
            empty argv|{'command': []}|params.command
            non-string argv element|{'command': ['ls', 1]}|params.command[1]
            null argv element|{'command': ['ls', null]}|params.command[1]
            blank program|{'command': ['', 'x']}|params.command[0]
            unknown key|{'command': 'ls', 'retries': 2}|params.retries
            unknown key of a sequence|{'sequence': [{'command': 'ls'}], 'continueOnError': true}|params.continueOnError
            negative timeout|{'command': 'ls', 'timeout': 'PT-1S'}|params.timeout
            zero timeout|{'command': 'ls', 'timeout': 'PT0S'}|params.timeout
            negative timeout in seconds|{'type': 'execute', 'command': 'ls', 'timeout': -5}|params.timeout
            zero timeout in seconds|{'type': 'execute', 'command': 'ls', 'timeout': 0}|params.timeout
            timeout not a duration|{'command': 'ls', 'timeout': '10 minutes'}|params.timeout
            timeout beyond any duration|{'command': 'ls', 'timeout': 1e30}|params.timeout
            negative killGrace|{'command': 'ls', 'killGrace': 'PT-1S'}|params.killGrace
            env not an object|{'command': 'ls', 'env': ['A=1']}|params.env
            non-string env value|{'command': 'ls', 'env': {'A': 1}}|params.env.A
            env name with a dash|{'command': 'ls', 'env': {'A-B': 'x'}}|params.env.A-B
            secret name with a path|{'command': 'ls', 'env': {'A': {'secret': '../etc/shadow'}}}|params.env.A
            secret with another key|{'command': 'ls', 'env': {'A': {'secret': 'x', 'value': 'y'}}}|params.env.A
            env name with a digit first|{'command': 'ls', 'env': {'1A': 'x'}}|params.env.1A
            empty env name|{'command': 'ls', 'env': {'': 'x'}}|params.env.
            blank cwd|{'command': 'ls', 'cwd': ''}|params.cwd
            invalid role|{'command': 'ls', 'role': 'a,b'}|params.role
            role not a string|{'command': 'ls', 'role': 1}|params.role
            empty sequence|{'sequence': []}|params.sequence
            empty parallel group|{'parallel': [], 'role': 'x'}|params.parallel
            steps not an array|{'parallel': {'command': 'ls'}}|params.parallel
            continueOnError not boolean|{'parallel': [{'command': 'l'}], 'continueOnError': 1}|params.continueOnError
            nested refusal|{'sequence': [{'command': 'ls'}, {'command': []}]}|params.sequence[1].command
            jobsch type not a string|{'type': 1}|params.type
            jobsch unknown type|{'type': 'shell', 'command': 'ls'}|params.type
            jobsch execute without command|{'type': 'execute', 'role': 'x'}|params.command
            jobsch group without work|{'type': 'sequence_group'}|params.work
            jobsch empty group|{'type': 'parallel_group', 'work': []}|params.work
            jobsch unknown key|{'type': 'sequence_group', 'work': [{'command': 'ls'}], 'timeout': 5}|params.timeout
            jobsch nested|{'type':'sequence_group','work':[{'type':'execute','command':[2]}]}|params.work[0].command[0]
            """)
    void refusesNamingTheField(String what, String params, String field) {
        assertRefused(params, field);
    }

    @Test
    void refusesMissingParams() {
        assertThatThrownBy(() -> WorkParser.parse(null)).isInstanceOf(WorkSpecException.class)
                .extracting(e -> ((WorkSpecException) e).field()).isEqualTo("params");
    }

    @Test
    void aCommandHasExactlyOneOfArgvAndShell() {
        assertThatThrownBy(() -> new Command(List.of("ls"), "ls", Map.of(), null, null, null, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Command(null, null, Map.of(), null, null, null, null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static String nested(int levels) {
        return "{'sequence': [".repeat(levels - 1) + "{'command': 'ls'}" + "]}".repeat(levels - 1);
    }

    private static void assertRefused(String params, String field) {
        assertThatThrownBy(() -> parse(params)).isInstanceOf(WorkSpecException.class)
                .satisfies(e -> assertThat(((WorkSpecException) e).field()).isEqualTo(field))
                .hasMessageStartingWith(field + ": ");
    }

    private static Work parse(String singleQuoted) {
        return WorkParser.parse(json(singleQuoted));
    }

    private static JsonNode json(String singleQuoted) {
        try {
            return JSON.readTree(singleQuoted.replace('\'', '"'));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new AssertionError("bad test JSON " + singleQuoted, e);
        }
    }
}
