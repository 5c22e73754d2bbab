using System.Globalization;
using System.Text.Json;
using Wavelet.Api.DataPlane;
using Wavelet.DataPlane.Auth;
using Wavelet.DataPlane.Config;
using Wavelet.DataPlane.Events;
using Wavelet.DataPlane.Limits;

namespace Wavelet.DataPlane.Web;

/// <summary>POST /v1/events/{name}[/batch]: validate everything first, then one parameterised INSERT.</summary>
public static class WriteRoutes
{
    public static RouteGroupBuilder MapWriteRoutes(this IEndpointRouteBuilder routes)
    {
        var events = routes.MapGroup("/v1/events").RequireRateLimiting(WriteRateLimits.Policy);
        events.MapPost("/{name}", (string name, HttpContext context) => WriteAsync(name, context, batch: false));
        events.MapPost("/{name}/batch", (string name, HttpContext context) => WriteAsync(name, context, batch: true));
        return events;
    }

    private static async Task<IResult> WriteAsync(string name, HttpContext context, bool batch)
    {
        var config = context.RequestServices.GetRequiredService<ConfigHolder>().Current;
        var ev = config.Events.FirstOrDefault(e => e.Name == name);
        if (ev is null)
        {
            return ApiErrors.UnknownEvent(name, config);
        }

        var tenantReason = TenantColumns.TokenRequiredReason(config, ev);
        var auth = await RequestAuth.AuthenticateAsync(context, config, required: config.Auth.Writes != "Public");
        if (auth.Caller is not { } caller)
        {
            return ApiErrors.Error(401, auth.Error!);
        }

        if (tenantReason is not null && !caller.HasToken)
        {
            return ApiErrors.Error(401, tenantReason);
        }

        var (body, bodyError) = await ReadBodyAsync(context, config.Limits.MaxRequestBodyBytes);
        if (bodyError is not null)
        {
            return bodyError;
        }

        List<object?[]> rows;
        try
        {
            rows = EventBodyParser.ParseRows(body!.RootElement, ev, batch, config.Limits.MaxBatchRows);
        }
        catch (EventBodyException e)
        {
            return ApiErrors.Error(400, e.Message);
        }
        finally
        {
            body!.Dispose();
        }

        if (TenantColumns.Enforce(config, ev, caller, rows) is { } forbidden)
        {
            return ApiErrors.Error(403, forbidden);
        }

        var writer = context.RequestServices.GetRequiredService<IEventWriter>();
        try
        {
            await writer.InsertAsync(config.Database.Schema, ev.Table, [.. ev.Columns.Select(c => new TypedColumn(c.Name, c.Type))], rows, context.RequestAborted);
        }
        catch (Npgsql.NpgsqlException e)
        {
            // The database's text names schemas, tables and constraints: it goes to the log, the client gets the request id.
            WebLog.WriteFailed(context.RequestServices.GetRequiredService<ILogger<IEventWriter>>(), context.TraceIdentifier, name, e.Message);
            return ApiErrors.Internal(context, 502, "the database refused the write");
        }

        return batch ? Results.Json(new { ok = true, count = rows.Count }) : Results.Json(new { ok = true });
    }

    /// <summary>The unread rest of the body makes the server drop the connection: tell the client not to reuse it.</summary>
    private static IResult TooLarge(HttpContext context, string message)
    {
        context.Response.Headers.Connection = "close";
        return ApiErrors.Error(413, message);
    }

    private static async Task<(JsonDocument? Body, IResult? Error)> ReadBodyAsync(HttpContext context, long limit)
    {
        if (context.Request.ContentLength > limit)
        {
            return (null, TooLarge(context, $"body is {context.Request.ContentLength} bytes; the limit is {limit}"));
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        try
        {
            while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
            {
                if (buffer.Length + read > limit)
                {
                    return (null, TooLarge(context, $"body is larger than the limit of {limit} bytes"));
                }

                buffer.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            // Kestrel enforces the same limit on a body without Content-Length (chunked) before we see the bytes.
            return (null, TooLarge(context, $"body is larger than the limit of {limit} bytes"));
        }

        if (buffer.Length == 0)
        {
            return (null, ApiErrors.Error(400, "missing body: send a JSON object (or an array for /batch)"));
        }

        try
        {
            return (JsonDocument.Parse(buffer.ToArray()), null);
        }
        catch (JsonException e)
        {
            return (null, ApiErrors.Error(400, $"malformed JSON: {e.Message}"));
        }
    }
}
