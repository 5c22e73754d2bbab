using System.Text;

namespace Wavelet.Api.Validation;

/// <summary>
/// Semantic validation of a WaveletProject: everything that can be checked without RisingWave. It reports every problem
/// at once, each with its field path and a hint; the CRD's CEL rules mirror the subset the API server can check.
/// </summary>
public static partial class WaveletProjectValidator
{
    public static IReadOnlyList<ValidationProblem> Validate(WaveletProject project)
    {
        ArgumentNullException.ThrowIfNull(project);
        var problems = new ProblemList();
        ValidateMetadata(project, problems);
        ValidateRisingWave(project, problems);
        ValidateEvents(project.Spec, problems);
        ValidateSources(project, problems);
        ValidateQueries(project, problems);
        ValidateUniqueNames(project.Spec, problems);
        ValidateAuth(project.Spec.Auth, problems);
        ValidateDataPlane(project.Spec.DataPlane, problems);
        problems.OneOf("spec.deletionPolicy", project.Spec.DeletionPolicy, DeletionPolicies.All, "deletion policy");
        return problems.Items;
    }

    /// <summary>Throws a <see cref="WaveletValidationException"/> listing every problem when the project is invalid.</summary>
    public static void EnsureValid(WaveletProject project)
    {
        var problems = Validate(project);
        if (problems.Count > 0)
        {
            throw new WaveletValidationException(Describe(project, problems), problems);
        }
    }

    /// <summary>A readable report: a headline naming the project, then one line per problem.</summary>
    public static string Describe(WaveletProject project, IReadOnlyList<ValidationProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(problems);
        var name = project.Metadata.NamespaceProperty is { Length: > 0 } ns ? $"{ns}/{project.Metadata.Name}" : project.Metadata.Name;
        var text = new StringBuilder();
        text.Append("WaveletProject ").Append(name ?? "(unnamed)").Append(" is invalid (")
            .Append(problems.Count).Append(problems.Count == 1 ? " problem):" : " problems):");
        foreach (var problem in problems)
        {
            text.Append("\n  - ").Append(problem);
        }

        return text.ToString();
    }

    private static void ValidateMetadata(WaveletProject project, ProblemList problems)
    {
        var name = project.Metadata.Name;
        if (string.IsNullOrEmpty(name))
        {
            problems.Add("metadata.name", "is required", "give the WaveletProject a name");
        }
    }

    private static void ValidateRisingWave(WaveletProject project, ProblemList problems)
    {
        var risingwave = project.Spec.Risingwave;
        ValidateSecretRef("spec.risingwave.connectionSecretRef", risingwave.ConnectionSecretRef, "the postgres:// URL of RisingWave", problems);
        if (project.Spec.DataPlane?.ConnectionSecretRef is { } dataPlaneSecret)
        {
            ValidateSecretRef("spec.dataPlane.connectionSecretRef", dataPlaneSecret, "the postgres:// URL the data plane uses", problems);
        }

        if (!string.IsNullOrEmpty(risingwave.Schema))
        {
            if (problems.Identifier("spec.risingwave.schema", risingwave.Schema, "schema name") && WaveletNames.IsSystemSchema(risingwave.Schema))
            {
                problems.Add("spec.risingwave.schema", $"\"{risingwave.Schema}\" is a shared or system schema", "choose a schema of the project's own; public and pg_*, information_schema, rw_catalog are refused");
            }
        }
        else if (!string.IsNullOrEmpty(project.Metadata.Name))
        {
            var derived = WaveletProjectDefaults.SchemaFromName(project.Metadata.Name);
            if (!WaveletNames.IsValidIdentifier(derived) || WaveletNames.IsReserved(derived) || WaveletNames.IsSystemSchema(derived))
            {
                problems.Add("spec.risingwave.schema", $"the schema derived from the resource name, \"{derived}\", is not a valid schema name", "set spec.risingwave.schema to a name of lowercase letters, digits and underscores");
            }
        }

        for (var i = 0; i < (risingwave.ReadSchemas?.Count ?? 0); i++)
        {
            problems.Identifier($"spec.risingwave.readSchemas[{i}]", risingwave.ReadSchemas![i], "schema name");
        }

        if (risingwave.ReadSchemas?.Count > WaveletLimits.MaxReadSchemas)
        {
            problems.Add("spec.risingwave.readSchemas", $"lists {risingwave.ReadSchemas.Count} schemas", $"list at most {WaveletLimits.MaxReadSchemas}");
        }

        ValidateRetention("spec.risingwave.subscriptionRetention", risingwave.SubscriptionRetention, problems);
    }

    private static void ValidateRetention(string path, string? retention, ProblemList problems)
    {
        if (retention is not null && !Retention.TryParse(retention, out _))
        {
            problems.Add(path, $"\"{retention}\" is not a valid retention", "use a whole number and a unit s, m, h or d, e.g. 30m, 24h or 7d");
        }
    }

    private static void ValidateSecretRef(string path, SecretKeySelector? secretRef, string what, ProblemList problems)
    {
        if (secretRef is null)
        {
            problems.Add(path, "is required", $"set name and key of the Secret holding {what}");
            return;
        }

        problems.Required(path + ".name", secretRef.Name, $"set the name of the Secret holding {what}");
        problems.Required(path + ".key", secretRef.Key, $"set the key of the Secret entry holding {what}");
    }

    private static void ValidateEvents(WaveletProjectSpec spec, ProblemList problems)
    {
        if (spec.Events.Count > WaveletLimits.MaxEvents)
        {
            problems.Add("spec.events", $"has {spec.Events.Count} events", $"use at most {WaveletLimits.MaxEvents}");
        }

        for (var i = 0; i < spec.Events.Count; i++)
        {
            var path = $"spec.events[{i}]";
            var @event = spec.Events[i];
            problems.Identifier(path + ".name", @event.Name, "event name");
            if (@event.Columns.Count == 0)
            {
                problems.Add(path + ".columns", "an event needs at least one column", "list the columns clients write, e.g. {name: user_id, type: string}");
            }
            else if (@event.Columns.Count > WaveletLimits.MaxColumns)
            {
                problems.Add(path + ".columns", $"has {@event.Columns.Count} columns", $"use at most {WaveletLimits.MaxColumns}");
            }

            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var c = 0; c < @event.Columns.Count; c++)
            {
                var column = @event.Columns[c];
                var columnPath = $"{path}.columns[{c}]";
                if (problems.Identifier(columnPath + ".name", column.Name, "column name") && !seen.Add(column.Name))
                {
                    problems.Add(columnPath + ".name", $"column \"{column.Name}\" is listed twice", "give each column of an event a different name");
                }

                if (string.IsNullOrEmpty(column.Type))
                {
                    problems.Add(columnPath + ".type", "a column type is required", "use one of " + string.Join(", ", ColumnTypes.All));
                }
                else
                {
                    problems.OneOf(columnPath + ".type", column.Type, ColumnTypes.All, "column type");
                }
            }
        }
    }

    private static void ValidateQueries(WaveletProject project, ProblemList problems)
    {
        var spec = project.Spec;
        if (spec.Queries.Count > WaveletLimits.MaxQueries)
        {
            problems.Add("spec.queries", $"has {spec.Queries.Count} queries", $"use at most {WaveletLimits.MaxQueries}");
        }

        // An incomplete spec.auth.jwt is reported on its own; only a missing one is blamed on filterBy.
        var hasJwt = spec.Auth?.Jwt is not null;
        for (var i = 0; i < spec.Queries.Count; i++)
        {
            var path = $"spec.queries[{i}]";
            var query = spec.Queries[i];
            if (problems.Identifier(path + ".name", query.Name, "query name") && query.Name.Length > WaveletNames.MaxQueryNameLength)
            {
                problems.Add(path + ".name", $"\"{query.Name}\" is too long for its subscription name {WaveletNames.SubscriptionPrefix}{query.Name}", $"use at most {WaveletNames.MaxQueryNameLength} characters");
            }

            ValidateSql(path + ".sql", query.Sql, problems);

            if (!string.IsNullOrEmpty(query.FilterBy))
            {
                if (problems.Identifier(path + ".filterBy", query.FilterBy, "column name") && !hasJwt)
                {
                    problems.Add(path + ".filterBy", "filters rows by the caller's JWT claim, but spec.auth.jwt is not configured", "set spec.auth.jwt.secretRef or spec.auth.jwt.jwksUrl");
                }
            }
            else if (!string.IsNullOrEmpty(query.FilterClaim))
            {
                problems.Add(path + ".filterClaim", "is set but filterBy is not", "set filterBy to the column compared with the claim, or remove filterClaim");
            }

            if (query.FilterClaim is not null)
            {
                ValidateClaim(path + ".filterClaim", query.FilterClaim, problems);
            }

            ValidateRetention(path + ".retention", query.Retention, problems);
            if (query.Webhook is not null)
            {
                ValidateWebhook(path + ".webhook", query.Webhook, problems);
            }
        }
    }

    private static void ValidateClaim(string path, string claim, ProblemList problems)
    {
        if (claim.Length == 0 || claim.Length > WaveletLimits.MaxClaimLength || claim.Any(char.IsWhiteSpace))
        {
            problems.Add(path, $"\"{claim}\" is not a valid claim name", $"use the claim's name as it appears in the token: no spaces, 1 to {WaveletLimits.MaxClaimLength} characters");
        }
    }

    private static void ValidateSql(string path, string? sql, ProblemList problems)
    {
        if (string.IsNullOrWhiteSpace(sql))
        {
            problems.Add(path, "the query SQL is empty", "write the SELECT statement whose results clients follow");
            return;
        }

        if (sql.Length > WaveletLimits.MaxSqlLength)
        {
            problems.Add(path, $"is {sql.Length} characters long", $"use at most {WaveletLimits.MaxSqlLength}");
        }

        if (SqlText.HasStatementSeparator(sql))
        {
            problems.Add(path, "contains more than one statement", "write a single SELECT without ';' between statements");
        }
    }

    private static void ValidateUniqueNames(WaveletProjectSpec spec, ProblemList problems)
    {
        // Tables, views and subscriptions share the schema's namespace, so every name must be distinct from all of them.
        var owners = new Dictionary<string, string>(StringComparer.Ordinal);
        bool Claim(string name, string path, string? subscriptionOf = null)
        {
            if (string.IsNullOrEmpty(name))
            {
                return false;
            }

            if (owners.TryGetValue(name, out var first))
            {
                var what = subscriptionOf is null ? $"\"{name}\"" : $"the subscription of query \"{subscriptionOf}\", \"{name}\",";
                problems.Add(path, $"{what} is already used by {first}", "give every event, query and subscription a different name");
                return false;
            }

            owners[name] = path;
            return true;
        }

        for (var i = 0; i < spec.Events.Count; i++)
        {
            Claim(spec.Events[i].Name, $"spec.events[{i}].name");
        }

        for (var i = 0; i < spec.Sources.Count; i++)
        {
            Claim(spec.Sources[i].Name, $"spec.sources[{i}].name");
            for (var t = 0; t < spec.Sources[i].Tables.Count; t++)
            {
                var table = spec.Sources[i].Tables[t];
                if (WaveletNames.IsValidIdentifier(WaveletProjectDefaults.EffectiveTableName(table)))
                {
                    Claim(WaveletProjectDefaults.EffectiveTableName(table), $"spec.sources[{i}].tables[{t}]" + (string.IsNullOrEmpty(table.Name) ? ".table" : ".name"));
                }
            }
        }

        var distinctQueries = new List<int>();
        for (var i = 0; i < spec.Queries.Count; i++)
        {
            if (Claim(spec.Queries[i].Name, $"spec.queries[{i}].name"))
            {
                distinctQueries.Add(i);
            }
        }

        foreach (var i in distinctQueries)
        {
            Claim(WaveletProjectDefaults.SubscriptionName(spec.Queries[i]), $"spec.queries[{i}].name", spec.Queries[i].Name);
        }
    }
}
