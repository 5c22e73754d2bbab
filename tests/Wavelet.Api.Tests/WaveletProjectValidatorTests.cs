namespace Wavelet.Api.Tests;

public class WaveletProjectValidatorTests
{
    private static List<string> Problems(Action<WaveletProject> breakIt)
    {
        var project = TestProjects.Valid();
        breakIt(project);
        return WaveletProjectValidator.Validate(project).Select(p => p.ToString()).ToList();
    }

    private static void AssertSingleProblem(Action<WaveletProject> breakIt, string expected)
    {
        var problems = Problems(breakIt);
        Assert.True(problems.Count == 1, "expected one problem, got:\n" + string.Join("\n", problems));
        Assert.StartsWith(expected, problems[0], StringComparison.Ordinal);
    }

    [Fact]
    public void A_valid_project_has_no_problems() => Assert.Empty(WaveletProjectValidator.Validate(TestProjects.Valid()));

    [Fact]
    public void Invalid_filterBy_column_reads_like_the_issue_example() => AssertSingleProblem(
        p => p.Spec.Queries[1].FilterBy = "tenant-id",
        "spec.queries[1].filterBy: \"tenant-id\" is not a valid column name; use lowercase letters, digits and underscores");

    [Theory]
    [InlineData("Game", "spec.events[0].name: \"Game\" is not a valid event name")]
    [InlineData("1st", "spec.events[0].name: \"1st\" is not a valid event name")]
    [InlineData("", "spec.events[0].name: is required; set the event name; use lowercase")]
    [InlineData("_wavelet_objects", "spec.events[0].name: \"_wavelet_objects\" starts with the reserved prefix _wavelet")]
    public void Event_names_follow_the_identifier_rules(string name, string expected)
    {
        var problems = Problems(p => p.Spec.Events[0].Name = name);
        Assert.Contains(problems, m => m.StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Names_longer_than_63_characters_are_rejected() => AssertSingleProblem(
        p => p.Spec.Events[0].Name = new string('a', 64),
        $"spec.events[0].name: \"{new string('a', 64)}\" is not a valid event name; use at most 63 characters");

    [Fact]
    public void Query_names_leave_room_for_the_subscription_prefix() => AssertSingleProblem(
        p => p.Spec.Queries[0].Name = new string('q', 52),
        $"spec.queries[0].name: \"{new string('q', 52)}\" is too long for its subscription name");

    [Fact]
    public void Column_names_and_types_are_checked()
    {
        var problems = Problems(p =>
        {
            p.Spec.Events[0].Columns[0].Name = "Player Id";
            p.Spec.Events[0].Columns[1].Type = "integer";
        });
        Assert.Equal(
            [
                "spec.events[0].columns[0].name: \"Player Id\" is not a valid column name; use lowercase letters, digits and underscores, starting with a letter or underscore (at most 63 characters)",
                "spec.events[0].columns[1].type: \"integer\" is not a valid column type; use one of string, int, bigint, float, boolean, timestamp, json, decimal",
            ],
            problems);
    }

    [Fact]
    public void Duplicate_columns_and_events_without_columns_are_rejected()
    {
        Assert.Contains("spec.events[0].columns[1].name: column \"player_id\" is listed twice", Problems(p => p.Spec.Events[0].Columns[1].Name = "player_id")[0], StringComparison.Ordinal);
        AssertSingleProblem(p => p.Spec.Events[0].Columns.Clear(), "spec.events[0].columns: an event needs at least one column");
    }

    [Fact]
    public void Names_are_unique_across_events_and_queries() => AssertSingleProblem(
        p => p.Spec.Queries[0].Name = "game_events",
        "spec.queries[0].name: \"game_events\" is already used by spec.events[0].name; give every event, query and subscription a different name");

    [Fact]
    public void Duplicate_query_names_are_rejected() => AssertSingleProblem(
        p => p.Spec.Queries[1].Name = "leaderboard",
        "spec.queries[1].name: \"leaderboard\" is already used by spec.queries[0].name");

    [Fact]
    public void A_name_cannot_collide_with_a_query_subscription() => AssertSingleProblem(
        p => p.Spec.Events[0].Name = "wavelet_sub_leaderboard",
        "spec.queries[0].name: the subscription of query \"leaderboard\", \"wavelet_sub_leaderboard\", is already used by spec.events[0].name");

    [Theory]
    [InlineData("")]
    [InlineData("   \n ")]
    public void Empty_sql_is_rejected(string sql) => AssertSingleProblem(
        p => p.Spec.Queries[0].Sql = sql,
        "spec.queries[0].sql: the query SQL is empty");

    [Theory]
    [InlineData("SELECT 1; DROP TABLE game_events", true)]
    [InlineData("SELECT 1;\n  ;  ", false)]
    [InlineData("SELECT ';' AS semicolon", false)]
    [InlineData("SELECT 1 AS \"a;b\" -- trailing; comment", false)]
    [InlineData("SELECT 1 /* ; */ FROM t", false)]
    [InlineData("SELECT $x$;$x$ AS s", false)]
    [InlineData(@"SELECT E'\'' AS a; CREATE TABLE public.pwned (x int)", true)]
    [InlineData(@"SELECT e'\\' AS a; CREATE TABLE public.pwned (x int)", true)]
    [InlineData(@"SELECT E'\'; DROP' AS a", false)]
    [InlineData(@"SELECT 'a\' AS a; CREATE TABLE public.pwned (x int)", true)]
    [InlineData("SELECT U&'d\\0061t''; ' AS a", false)]
    [InlineData("SELECT U&'\\0061' AS a; CREATE TABLE public.pwned (x int)", true)]
    [InlineData("SELECT U&\"a;b\" FROM t", false)]
    [InlineData("SELECT $tag$ $$ ; $tag$ AS s", false)]
    [InlineData("SELECT $tag$ x $tag$ AS s; DROP TABLE t", true)]
    [InlineData("SELECT a$b$ FROM t; DROP TABLE t", true)]
    [InlineData("SELECT 1 /* outer /* inner */ ; still a comment */ AS one", false)]
    [InlineData("SELECT 1 /* outer /* inner */ */ AS one; DROP TABLE t", true)]
    [InlineData("SELECT 1 -- line; comment\n; DROP TABLE t", true)]
    [InlineData("SELECT \"x\"\";\" FROM t", false)]
    [InlineData("SELECT B'01' AS b, X'ff' AS x; DROP TABLE t", true)]
    public void Sql_must_be_a_single_statement(string sql, bool rejected)
    {
        var problems = Problems(p => p.Spec.Queries[0].Sql = sql);
        Assert.Equal(rejected, problems.Any(m => m.StartsWith("spec.queries[0].sql: contains more than one statement", StringComparison.Ordinal)));
    }

    [Fact]
    public void FilterClaim_without_filterBy_is_rejected() => AssertSingleProblem(
        p => p.Spec.Queries[0].FilterClaim = "tenant",
        "spec.queries[0].filterClaim: is set but filterBy is not");

    [Fact]
    public void FilterBy_needs_a_jwt_configuration() => AssertSingleProblem(
        p => p.Spec.Auth = null,
        "spec.queries[1].filterBy: filters rows by the caller's JWT claim, but spec.auth.jwt is not configured; set spec.auth.jwt.secretRef or spec.auth.jwt.jwksUrl");

    [Theory]
    [InlineData("30s", true)]
    [InlineData("15m", true)]
    [InlineData("24h", true)]
    [InlineData("7d", true)]
    [InlineData("1D", true)]
    [InlineData("0h", false)]
    [InlineData("24 hours", false)]
    [InlineData("1w", false)]
    [InlineData("h", false)]
    [InlineData("", false)]
    public void Retention_format_is_checked(string retention, bool valid)
    {
        var problems = Problems(p =>
        {
            p.Spec.Risingwave.SubscriptionRetention = retention;
            p.Spec.Queries[0].Retention = retention;
        });
        if (valid)
        {
            Assert.Empty(problems);
        }
        else
        {
            Assert.Equal(
                [
                    $"spec.risingwave.subscriptionRetention: \"{retention}\" is not a valid retention; use a whole number and a unit s, m, h or d, e.g. 30m, 24h or 7d",
                    $"spec.queries[0].retention: \"{retention}\" is not a valid retention; use a whole number and a unit s, m, h or d, e.g. 30m, 24h or 7d",
                ],
                problems);
        }
    }

    [Theory]
    [InlineData(-1, false)]
    [InlineData(0, true)]
    [InlineData(100, true)]
    [InlineData(101, false)]
    public void Replicas_are_range_checked(int replicas, bool valid)
    {
        var problems = Problems(p => p.Spec.DataPlane = new() { Replicas = replicas });
        Assert.Equal(valid ? [] : [$"spec.dataPlane.replicas: {replicas} is out of range; use a value from 0 to 100"], problems);
    }

    [Fact]
    public void Jwt_needs_a_secretRef_or_a_jwksUrl() => AssertSingleProblem(
        p => p.Spec.Auth!.Jwt = new() { Issuer = "https://issuer.example.com" },
        "spec.auth.jwt: has neither secretRef nor jwksUrl");

    [Theory]
    [InlineData("https://issuer.example.com/.well-known/jwks.json", null)]
    [InlineData("http://localhost:8080/jwks.json", null)]
    [InlineData("http://127.0.0.1/jwks.json", null)]
    [InlineData("http://issuer.example.com/jwks.json", "spec.auth.jwt.jwksUrl: \"http://issuer.example.com/jwks.json\" uses http")]
    [InlineData("ftp://issuer.example.com/jwks.json", "spec.auth.jwt.jwksUrl: \"ftp://issuer.example.com/jwks.json\" is not a valid URL")]
    [InlineData("jwks.json", "spec.auth.jwt.jwksUrl: \"jwks.json\" is not a valid URL")]
    [InlineData("https://169.254.169.254/jwks.json", "spec.auth.jwt.jwksUrl: \"https://169.254.169.254/jwks.json\" points at a link-local or cloud metadata address")]
    public void JwksUrl_must_be_https_except_on_loopback(string url, string? expected)
    {
        var problems = Problems(p => p.Spec.Auth!.Jwt = new() { JwksUrl = url });
        if (expected is null)
        {
            Assert.Empty(problems);
        }
        else
        {
            Assert.StartsWith(expected, Assert.Single(problems), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("https://hooks.example.com/wavelet", null)]
    [InlineData("http://alerts.monitoring.svc:8080/hook", null)]
    [InlineData("ftp://hooks.example.com", "spec.queries[0].webhook.url: \"ftp://hooks.example.com\" is not an http(s) URL")]
    [InlineData("hooks.example.com/x", "spec.queries[0].webhook.url: \"hooks.example.com/x\" is not an http(s) URL")]
    [InlineData("", "spec.queries[0].webhook.url: is required")]
    [InlineData("http://169.254.169.254/latest/meta-data/iam/", "spec.queries[0].webhook.url: \"http://169.254.169.254/latest/meta-data/iam/\" points at a link-local or cloud metadata address")]
    [InlineData("http://[fe80::1]/hook", "spec.queries[0].webhook.url: \"http://[fe80::1]/hook\" points at a link-local")]
    [InlineData("http://metadata.google.internal/computeMetadata/v1/", "spec.queries[0].webhook.url: \"http://metadata.google.internal/computeMetadata/v1/\" points at a link-local or cloud metadata address")]
    public void Webhook_url_must_be_http_or_https(string url, string? expected)
    {
        var problems = Problems(p => p.Spec.Queries[0].Webhook = new() { Url = url, SecretRef = new() { Name = "hook", Key = "key" } });
        if (expected is null)
        {
            Assert.Empty(problems);
        }
        else
        {
            Assert.StartsWith(expected, Assert.Single(problems), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Webhook_needs_a_signing_secret() => AssertSingleProblem(
        p => p.Spec.Queries[0].Webhook = new() { Url = "https://hooks.example.com" },
        "spec.queries[0].webhook.secretRef: is required");

    [Fact]
    public void Connection_secret_and_enumerations_are_checked()
    {
        var problems = Problems(p =>
        {
            p.Spec.Risingwave.ConnectionSecretRef = new() { Name = "", Key = "url" };
            p.Spec.DeletionPolicy = "Purge";
            p.Spec.Auth!.Writes = "Anyone";
        });
        Assert.Equal(
            [
                "spec.risingwave.connectionSecretRef.name: is required; set the name of the Secret holding the postgres:// URL of RisingWave",
                "spec.auth.writes: \"Anyone\" is not a valid write access; use one of Authenticated, Public",
                "spec.deletionPolicy: \"Purge\" is not a valid deletion policy; use one of Retain, Delete",
            ],
            problems);
    }

    [Fact]
    public void Schema_must_be_an_identifier_and_not_a_system_schema()
    {
        AssertSingleProblem(p => p.Spec.Risingwave.Schema = "Game", "spec.risingwave.schema: \"Game\" is not a valid schema name");
        AssertSingleProblem(p => p.Spec.Risingwave.Schema = "pg_catalog", "spec.risingwave.schema: \"pg_catalog\" is a shared or system schema");
        AssertSingleProblem(p => p.Spec.Risingwave.Schema = "public", "spec.risingwave.schema: \"public\" is a shared or system schema");
        AssertSingleProblem(p => p.Spec.Risingwave.Schema = "rw_catalog", "spec.risingwave.schema: \"rw_catalog\" is a shared or system schema");
        AssertSingleProblem(p => p.Spec.Risingwave.Schema = "information_schema", "spec.risingwave.schema: \"information_schema\" is a shared or system schema");
        AssertSingleProblem(p => p.Metadata.Name = "public", "spec.risingwave.schema: the schema derived from the resource name, \"public\", is not a valid schema name");
        AssertSingleProblem(p => p.Metadata.Name = "1-game", "spec.risingwave.schema: the schema derived from the resource name, \"1_game\", is not a valid schema name");
    }

    [Fact]
    public void Read_schemas_must_be_identifiers() => AssertSingleProblem(
        p => p.Spec.Risingwave.ReadSchemas = ["shared", "Billing;--"],
        "spec.risingwave.readSchemas[1]: \"Billing;--\" is not a valid schema name");

    [Fact]
    public void Data_plane_settings_are_checked()
    {
        var problems = Problems(p => p.Spec.DataPlane = new()
        {
            Resources = new() { Requests = new() { ["cpu"] = "lots" } },
            Service = new() { Type = "Ingress", Port = 70000 },
            PodDisruptionBudget = new() { MinAvailable = "1", MaxUnavailable = "half" },
            Autoscaling = new() { MinReplicas = 5, MaxReplicas = 3, TargetCPUUtilization = 0 },
            Tolerations = [new() { Operator = "In", Effect = "NoSchedule" }],
        });
        Assert.Equal(
            [
                "spec.dataPlane.resources.requests.cpu: \"lots\" is not a valid quantity; use a number with an optional suffix, e.g. 500m, 2, 256Mi or 1Gi",
                "spec.dataPlane.tolerations[0].operator: \"In\" is not a valid toleration operator; use one of Exists, Equal",
                "spec.dataPlane.service.type: \"Ingress\" is not a valid service type; use one of ClusterIP, NodePort, LoadBalancer",
                "spec.dataPlane.service.port: 70000 is out of range; use a value from 1 to 65535",
                "spec.dataPlane.podDisruptionBudget.maxUnavailable: \"half\" is neither a count nor a percentage; use a whole number such as 1 or a percentage such as 50%",
                "spec.dataPlane.podDisruptionBudget: sets both minAvailable and maxUnavailable; set only one of them",
                "spec.dataPlane.autoscaling.targetCPUUtilization: 0 is out of range; use a value from 1 to 100",
                "spec.dataPlane.autoscaling.minReplicas: 5 is greater than maxReplicas 3; make minReplicas at most maxReplicas",
            ],
            problems);
    }

    [Fact]
    public void Every_problem_is_reported_at_once_and_EnsureValid_lists_them()
    {
        var project = TestProjects.Valid();
        project.Spec.Events[0].Name = "Bad-Name";
        project.Spec.Queries[0].Sql = "";
        project.Spec.Queries[1].FilterBy = "tenant-id";
        var error = Assert.Throws<WaveletValidationException>(() => WaveletProjectValidator.EnsureValid(project));
        Assert.Equal(3, error.Problems.Count);
        Assert.Equal(
            """
            WaveletProject apps/game-stats is invalid (3 problems):
              - spec.events[0].name: "Bad-Name" is not a valid event name; use lowercase letters, digits and underscores, starting with a letter or underscore (at most 63 characters)
              - spec.queries[0].sql: the query SQL is empty; write the SELECT statement whose results clients follow
              - spec.queries[1].filterBy: "tenant-id" is not a valid column name; use lowercase letters, digits and underscores, starting with a letter or underscore (at most 63 characters)
            """.ReplaceLineEndings("\n"),
            error.Message);
    }
}
