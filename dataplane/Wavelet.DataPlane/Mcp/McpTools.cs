using System.Globalization;
using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using Npgsql;
using Wavelet.Api.DataPlane;
using Wavelet.DataPlane.Auth;
using Wavelet.DataPlane.Config;
using Wavelet.DataPlane.Events;
using Wavelet.DataPlane.Fanout;
using Wavelet.DataPlane.Web;

namespace Wavelet.DataPlane.Mcp;

/// <summary>
/// The MCP tools. Reads go through the same in-memory state and claim filter as <c>GET /v1/queries/{name}</c>; writes
/// through the same validation, tenant-column forcing and single INSERT as <c>POST /v1/events/{name}</c>. A bad
/// argument is an InvalidParams error and nothing is written.
/// </summary>
public sealed class McpTools(ConfigHolder holder, HubRegistry hubs, IEventWriter writer, McpOptions options, McpMetrics metrics, ILogger<McpTools> logger)
{
    public const string ListQueries = "list_queries";
    public const string ReadQuery = "read_query";
    public const string EmitEvent = "emit_event";
    public const string EmitBatch = "emit_batch";
    public const string DescribeTables = "describe_tables";

    public ValueTask<ListToolsResult> ListAsync(RequestContext<ListToolsRequestParams> context, CancellationToken ct)
    {
        McpCallers.From(context.User);
        return ValueTask.FromResult(new ListToolsResult
        {
            Tools =
            [
                Tool(ListQueries, "List this project's live queries with their columns and, for filtered queries, the JWT claim that selects your rows.", """{"type":"object","properties":{}}"""),
                Tool(ReadQuery, "Read a query's current rows (only those your token may see). Optional filters keep rows whose column equals the value, as the HTTP API's query string does.",
                    $$$"""{"type":"object","properties":{"query":{"type":"string","description":"query name"},"filters":{"type":"object","description":"column → value; rows must match all","additionalProperties":{"type":["string","number","boolean"]}},"limit":{"type":"integer","minimum":1,"maximum":{{{options.MaxReadLimit}}},"description":"most rows returned (default {{{options.DefaultReadLimit}}})"}},"required":["query"]}"""),
                Tool(EmitEvent, "Write one event into a declared event table. The columns are validated like POST /v1/events/{name}; a tenant column is set to your claim.",
                    """{"type":"object","properties":{"event":{"type":"string","description":"event name"},"data":{"type":"object","description":"column → value"}},"required":["event","data"]}"""),
                Tool(EmitBatch, "Write several events into a declared event table in one statement: all rows or none.",
                    """{"type":"object","properties":{"event":{"type":"string","description":"event name"},"rows":{"type":"array","items":{"type":"object"},"description":"one object per event"}},"required":["event","rows"]}"""),
                Tool(DescribeTables, "Describe the project's event tables: columns, types, and which column is forced to your tenant claim.", """{"type":"object","properties":{}}"""),
            ],
        });
    }

    public async ValueTask<CallToolResult> CallAsync(RequestContext<CallToolRequestParams> context, CancellationToken ct)
    {
        var name = context.Params?.Name ?? "";
        try
        {
            var caller = McpCallers.From(context.User);
            var arguments = context.Params?.Arguments ?? new Dictionary<string, JsonElement>();
            var config = holder.Current;
            var text = name switch
            {
                ListQueries => DescribeQueries(config),
                ReadQuery => Read(config, caller, arguments),
                EmitEvent => await WriteAsync(config, caller, arguments, batch: false, ct),
                EmitBatch => await WriteAsync(config, caller, arguments, batch: true, ct),
                DescribeTables => DescribeEvents(config),
                _ => throw Invalid($"unknown tool '{name}'; tools are: {ListQueries}, {ReadQuery}, {EmitEvent}, {EmitBatch}, {DescribeTables}"),
            };
            metrics.Request(name, "ok");
            return new CallToolResult { Content = [new TextContentBlock { Text = text }] };
        }
        catch (McpProtocolException)
        {
            metrics.Request(Label(name), "invalid");
            throw;
        }
        catch (McpException)
        {
            metrics.Request(Label(name), "error");
            throw;
        }
    }

    private static string Label(string tool) => tool is ListQueries or ReadQuery or EmitEvent or EmitBatch or DescribeTables ? tool : "unknown";

    private string DescribeQueries(DataPlaneConfig config)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartArray("queries");
            foreach (var query in config.Queries)
            {
                json.WriteStartObject();
                json.WriteString("name", query.Name);
                json.WriteString("resource", McpResources.UriOf(query.Name));
                if (query.FilterBy is not null)
                {
                    json.WriteString("filterBy", query.FilterBy);
                    json.WriteString("filterClaim", query.FilterClaim);
                }

                json.WriteStartArray("columns");
                var types = query.Columns.ToDictionary(c => c.Name, c => c.Type, StringComparer.Ordinal);
                foreach (var column in hubs.Find(query.Name) is { } hub ? McpQueryRows.ColumnsOf(query, hub) : query.Columns.Select(c => c.Name).ToList())
                {
                    json.WriteStartObject();
                    json.WriteString("name", column);
                    if (types.TryGetValue(column, out var type))
                    {
                        json.WriteString("type", type);
                    }

                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    private string Read(DataPlaneConfig config, Caller caller, IDictionary<string, JsonElement> arguments)
    {
        var (query, hub) = McpQueryRows.Find(RequiredString(arguments, "query"), config, hubs);
        var known = McpQueryRows.ColumnsOf(query, hub);
        var filters = new List<(string Column, string Value)>();
        if (arguments.TryGetValue("filters", out var given) && given.ValueKind != JsonValueKind.Null)
        {
            if (given.ValueKind != JsonValueKind.Object)
            {
                throw Invalid("'filters' must be an object of column → value");
            }

            foreach (var filter in given.EnumerateObject())
            {
                if (!known.Contains(filter.Name))
                {
                    throw Invalid($"unknown column '{filter.Name}' for query '{query.Name}'; columns are: {string.Join(", ", known)}");
                }

                filters.Add((filter.Name, filter.Value.ValueKind switch
                {
                    JsonValueKind.String => filter.Value.GetString()!,
                    JsonValueKind.Number => filter.Value.GetRawText(),
                    JsonValueKind.True => "true",
                    JsonValueKind.False => "false",
                    _ => throw Invalid($"filter '{filter.Name}' must be a string, number or boolean"),
                }));
            }
        }

        var limit = options.DefaultReadLimit;
        if (arguments.TryGetValue("limit", out var limitArgument) && limitArgument.ValueKind != JsonValueKind.Null)
        {
            if (!limitArgument.TryGetInt32(out limit) || limit < 1 || limit > options.MaxReadLimit)
            {
                throw Invalid($"'limit' must be an integer from 1 to {options.MaxReadLimit}");
            }
        }

        var rows = McpQueryRows.Visible(query, config.Auth.Jwt, hub, caller, filters);
        return McpQueryRows.Json(query.Name, rows.Take(limit), truncated: rows.Count > limit);
    }

    private async Task<string> WriteAsync(DataPlaneConfig config, Caller caller, IDictionary<string, JsonElement> arguments, bool batch, CancellationToken ct)
    {
        var name = RequiredString(arguments, "event");
        var ev = config.Events.FirstOrDefault(e => e.Name == name)
            ?? throw Invalid($"unknown event '{name}'; events are: {string.Join(", ", config.Events.Select(e => e.Name))}");
        if (config.Auth.Writes != "Public" && !caller.HasToken)
        {
            throw Invalid("writes need a token: this project's spec.auth.writes is Authenticated");
        }

        var field = batch ? "rows" : "data";
        if (!arguments.TryGetValue(field, out var body))
        {
            throw Invalid($"missing argument '{field}'");
        }

        List<object?[]> rows;
        try
        {
            rows = EventBodyParser.ParseRows(body, ev, batch, config.Limits.MaxBatchRows);
        }
        catch (EventBodyException e)
        {
            throw Invalid(e.Message);
        }

        if (TenantColumns.Enforce(config, ev, caller, rows) is { } forbidden)
        {
            throw Invalid(forbidden);
        }

        try
        {
            await writer.InsertAsync(config.Database.Schema, ev.Table, [.. ev.Columns.Select(c => new TypedColumn(c.Name, c.Type))], rows, ct);
        }
        catch (NpgsqlException e)
        {
            logger.McpWriteFailed(name, e.Message);
            throw new McpException($"the database refused the write: {e.Message}");
        }

        return batch ? $$"""{"ok":true,"count":{{rows.Count.ToString(CultureInfo.InvariantCulture)}}}""" : """{"ok":true}""";
    }

    private static string DescribeEvents(DataPlaneConfig config)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartArray("events");
            foreach (var ev in config.Events)
            {
                json.WriteStartObject();
                json.WriteString("name", ev.Name);
                json.WriteString("table", $"{config.Database.Schema}.{ev.Table}");
                json.WriteStartArray("columns");
                foreach (var column in ev.Columns)
                {
                    json.WriteStartObject();
                    json.WriteString("name", column.Name);
                    json.WriteString("type", column.Type);
                    if (config.Auth.Jwt is not null && config.Queries.FirstOrDefault(q => q.FilterBy == column.Name && q.FilterClaim is not null) is { } tenantQuery)
                    {
                        json.WriteString("forcedToClaim", tenantQuery.FilterClaim);
                    }

                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static string RequiredString(IDictionary<string, JsonElement> arguments, string name) =>
        arguments.TryGetValue(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text
            ? text
            : throw Invalid($"argument '{name}' is required and must be a non-empty string");

    private static McpProtocolException Invalid(string message) => new(message, McpErrorCode.InvalidParams);

    private static Tool Tool(string name, string description, string schema) => new()
    {
        Name = name,
        Description = description,
        InputSchema = JsonDocument.Parse(schema).RootElement.Clone(),
    };
}
