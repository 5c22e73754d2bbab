using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using Wavelet.DataPlane.Config;
using Wavelet.DataPlane.Fanout;

namespace Wavelet.DataPlane.Mcp;

/// <summary>One resource per query (<c>wavelet://queries/{name}</c>): its rows visible to the caller, and subscriptions to be told when they change.</summary>
public sealed class McpResources(ConfigHolder holder, HubRegistry hubs, McpSubscriptions subscriptions, McpMetrics metrics)
{
    private const string Prefix = "wavelet://queries/";

    public static string UriOf(string query) => Prefix + query;

    public ValueTask<ListResourcesResult> ListAsync(RequestContext<ListResourcesRequestParams> context, CancellationToken ct)
    {
        McpCallers.From(context.User);
        return ValueTask.FromResult(new ListResourcesResult
        {
            Resources = [.. holder.Current.Queries.Select(q => new Resource
            {
                Uri = UriOf(q.Name),
                Name = q.Name,
                Description = q.FilterBy is null
                    ? $"Current rows of query '{q.Name}'."
                    : $"Current rows of query '{q.Name}' whose {q.FilterBy} is one of your token's '{q.FilterClaim}' claim values.",
                MimeType = "application/json",
            })],
        });
    }

    public ValueTask<ReadResourceResult> ReadAsync(RequestContext<ReadResourceRequestParams> context, CancellationToken ct) =>
        Count("resources/read", () =>
        {
            var caller = McpCallers.From(context.User);
            var uri = context.Params?.Uri ?? "";
            var (query, hub) = McpQueryRows.Find(QueryOf(uri), holder.Current, hubs);
            var rows = McpQueryRows.Visible(query, holder.Current.Auth.Jwt, hub, caller, []);
            return new ReadResourceResult
            {
                Contents = [new TextResourceContents { Uri = uri, MimeType = "application/json", Text = McpQueryRows.Json(query.Name, rows) }],
            };
        });

    public ValueTask<EmptyResult> SubscribeAsync(RequestContext<SubscribeRequestParams> context, CancellationToken ct) =>
        Count("resources/subscribe", () =>
        {
            var caller = McpCallers.From(context.User);
            var config = holder.Current;
            var (query, _) = McpQueryRows.Find(QueryOf(context.Params?.Uri ?? ""), config, hubs);
            McpQueryRows.EnsureAllowed(query, config.Auth.Jwt, caller);
            subscriptions.Add(context.Server, query.Name, caller);
            return new EmptyResult();
        });

    public ValueTask<EmptyResult> UnsubscribeAsync(RequestContext<UnsubscribeRequestParams> context, CancellationToken ct) =>
        Count("resources/unsubscribe", () =>
        {
            McpCallers.From(context.User);
            subscriptions.Remove(context.Server, QueryOf(context.Params?.Uri ?? ""));
            return new EmptyResult();
        });

    private static string QueryOf(string uri) =>
        uri.StartsWith(Prefix, StringComparison.Ordinal) && uri.Length > Prefix.Length
            ? uri[Prefix.Length..]
            : throw new McpProtocolException($"unknown resource '{uri}': query resources are {Prefix}<query>", McpErrorCode.InvalidParams);

    private ValueTask<T> Count<T>(string operation, Func<T> handle)
    {
        try
        {
            var result = handle();
            metrics.Request(operation, "ok");
            return ValueTask.FromResult(result);
        }
        catch (McpProtocolException)
        {
            metrics.Request(operation, "invalid");
            throw;
        }
        catch (McpException)
        {
            metrics.Request(operation, "error");
            throw;
        }
    }
}
