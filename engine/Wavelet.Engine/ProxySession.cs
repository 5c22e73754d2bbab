using System.Buffers.Binary;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Wavelet.Engine;

/// <summary>
/// One client connection: relays PostgreSQL protocol messages between the client and its own PostgreSQL session,
/// rewriting RisingWave-only statements on the way in. PostgreSQL encodes every result, so the proxy never does.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "RunAsync owns the session's lifetime and disposes both sockets in CloseAsync on every exit path; the stop source has no timer to release.")]
internal sealed class ProxySession : IRewriteContext
{
    public const string ServerVersion = "13.14.0-RisingWave-2.6.0";

    private readonly LocalEngine _simulator;
    private readonly TcpClient _client;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private TcpClient? _backend;
    private volatile bool _barrierBeforeReady;
    private bool _implicitFlush;
    private readonly Dictionary<string, string> _declaredInBatch = new(StringComparer.Ordinal);

    public ProxySession(LocalEngine simulator, TcpClient client, int id, ILogger logger)
    {
        _simulator = simulator;
        _client = client;
        Id = id;
        _logger = logger;
    }

    public int Id { get; }

    public int BackendPid { get; private set; }

    public long NowMs => _simulator.NowMs;

    public long LastEpoch => _simulator.LastEpoch;

    public async Task RunAsync(CancellationToken ct)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, _stop.Token);
        var token = linked.Token;
        try
        {
            var clientStream = _client.GetStream();
            var startup = await ReadStartupAsync(clientStream, token);
            if (startup is null)
            {
                return;
            }

            _backend = new TcpClient { NoDelay = true };
            await _backend.ConnectAsync(System.Net.IPAddress.Loopback, _simulator.PostgresPort, token);
            var backendStream = _backend.GetStream();
            var parameters = Wire.StartupParameters(startup.Body);
            parameters.Remove("options");
            parameters["user"] = _simulator.PostgresUser;
            parameters["database"] = _simulator.PostgresDatabase;
            await backendStream.WriteAsync(Wire.Startup(parameters).ToBytes(), token);
            if (!await RelayStartupAsync(backendStream, clientStream, token))
            {
                return;
            }

            var fromClient = PumpClientAsync(clientStream, backendStream, token);
            var fromBackend = PumpBackendAsync(backendStream, clientStream, token);
            await Task.WhenAny(fromClient, fromBackend);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException or InvalidDataException)
        {
            _logger.SessionEnded(e, Id);
        }
        finally
        {
            await CloseAsync();
        }
    }

    private async Task<WireMessage?> ReadStartupAsync(NetworkStream clientStream, CancellationToken ct)
    {
        while (true)
        {
            var message = await Wire.ReadStartupAsync(clientStream, ct);
            if (message is null)
            {
                return null;
            }

            var code = BinaryPrimitives.ReadInt32BigEndian(message.Body);
            if (code is Wire.SslRequestCode or Wire.GssRequestCode)
            {
                await clientStream.WriteAsync("N"u8.ToArray(), ct);
                continue;
            }

            if (code == Wire.CancelRequestCode)
            {
                await _simulator.ForwardCancelAsync(message, ct);
                return null;
            }

            return message;
        }
    }

    private async Task<bool> RelayStartupAsync(NetworkStream backend, NetworkStream client, CancellationToken ct)
    {
        while (true)
        {
            var message = await Wire.ReadAsync(backend, ct);
            if (message is null)
            {
                return false;
            }

            if (message.Type == (byte)'S')
            {
                var offset = 0;
                if (Wire.ReadCString(message.Body, ref offset) == "server_version")
                {
                    message = Wire.ParameterStatus("server_version", ServerVersion);
                }
            }
            else if (message.Type == (byte)'K')
            {
                BackendPid = BinaryPrimitives.ReadInt32BigEndian(message.Body);
            }

            await client.WriteAsync(message.ToBytes(), ct);
            if (message.Type == (byte)'E')
            {
                return false;
            }

            if (message.Type == (byte)'Z')
            {
                return true;
            }
        }
    }

    private async Task PumpClientAsync(NetworkStream client, NetworkStream backend, CancellationToken ct)
    {
        while (true)
        {
            var message = await Wire.ReadAsync(client, ct);
            if (message is null || message.Type == (byte)'X')
            {
                return;
            }

            if (message.Type == (byte)'Q')
            {
                message = await RewriteQueryAsync(message, ct);
            }
            else if (message.Type == (byte)'P')
            {
                message = await RewriteParseAsync(message, ct);
            }

            await backend.WriteAsync(message.ToBytes(), ct);
        }
    }

    private async Task PumpBackendAsync(NetworkStream backend, NetworkStream client, CancellationToken ct)
    {
        var socket = _backend!.Client;
        using var buffered = new BufferedStream(client, 64 * 1024);
        while (true)
        {
            var message = await Wire.ReadAsync(backend, ct);
            if (message is null)
            {
                await buffered.FlushAsync(ct);
                return;
            }

            if (message.Type == (byte)'Z' && _barrierBeforeReady)
            {
                _barrierBeforeReady = false;
                await _simulator.BarrierAsync(ct);
            }

            await buffered.WriteAsync(message.ToBytes(), ct);
            if (message.Type == (byte)'Z' || socket.Available == 0)
            {
                await buffered.FlushAsync(ct);
            }
        }
    }

    private async Task<WireMessage> RewriteQueryAsync(WireMessage message, CancellationToken ct)
    {
        var statements = SqlText.SplitStatements(Wire.QuerySql(message));
        var rewritten = new List<string>(statements.Count);
        _declaredInBatch.Clear();
        foreach (var statement in statements)
        {
            rewritten.Add(await PrepareAsync(statement, ct));
        }

        return Wire.Query(rewritten.Count == 0 ? "" : string.Join(";\n", rewritten));
    }

    private async Task<WireMessage> RewriteParseAsync(WireMessage message, CancellationToken ct)
    {
        var (name, sql, rest) = Wire.ParseParts(message);
        return string.IsNullOrWhiteSpace(sql) ? message : Wire.Parse(name, await PrepareAsync(sql, ct), rest);
    }

    /// <summary>Logs, applies faults and rewrites one statement; waits for rows when it is a blocking FETCH.</summary>
    private async Task<string> PrepareAsync(string sql, CancellationToken ct)
    {
        _simulator.Statements.Add(new StatementLogEntry(Id, sql, _simulator.Clock.GetUtcNow()));
        if (_simulator.Faults.TakeFailure(sql) is { } failure)
        {
            return StatementRewriter.Raise(failure.Message, failure.SqlState).Sql;
        }

        if (await _simulator.CdcSources.TryExecuteAsync(sql, ct) is { } cdc)
        {
            return cdc;
        }

        var statement = await StatementRewriter.RewriteAsync(sql, this, ct);
        if (statement.BarrierFirst)
        {
            await _simulator.BarrierAsync(ct);
        }

        if (statement.Declares is { } declared)
        {
            _declaredInBatch[declared.Cursor] = declared.Subscription;
        }

        if (statement.SetsImplicitFlush is { } implicitFlush)
        {
            _implicitFlush = implicitFlush;
        }

        if (statement.IsDml && _implicitFlush)
        {
            _barrierBeforeReady = true;
        }

        if (statement.FetchCursor is { } cursor)
        {
            await _simulator.Faults.BeforeFetchAsync(ct);
            if (statement.FetchTimeout is { } timeout)
            {
                await _simulator.WaitForRowsAsync(BackendPid, cursor, timeout, ct);
            }
        }

        return statement.Sql;
    }

    public async Task<string?> CursorColumnsAsync(string cursor, CancellationToken ct)
    {
        await using (var command = _simulator.Admin.CreateCommand(
            "SELECT coalesce(s.column_defs, '') FROM _rwsim.cursors c LEFT JOIN _rwsim.subscriptions s ON s.id = c.sub_id WHERE c.pid = $1 AND c.name = $2"))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = BackendPid });
            command.Parameters.Add(new NpgsqlParameter { Value = cursor });
            if (await command.ExecuteScalarAsync(ct) is string columns)
            {
                return columns;
            }
        }

        // Declared earlier in the same simple query: it does not exist yet, so find its subscription by name.
        if (!_declaredInBatch.TryGetValue(cursor, out var subscription))
        {
            return null;
        }

        var parts = subscription.Split('.');
        await using var lookup = _simulator.Admin.CreateCommand(
            "SELECT column_defs FROM _rwsim.subscriptions WHERE name = $1 AND ($2 = '' OR schema_name = $2) ORDER BY id DESC LIMIT 1");
        lookup.Parameters.Add(new NpgsqlParameter { Value = SqlText.Unquote(parts[^1]) });
        lookup.Parameters.Add(new NpgsqlParameter { Value = parts.Length > 1 ? SqlText.Unquote(parts[0]) : "" });
        return await lookup.ExecuteScalarAsync(ct) as string ?? "";
    }

    public void Stop() => _stop.Cancel();

    private async Task CloseAsync()
    {
        _client.Dispose();
        _backend?.Dispose();
        if (BackendPid != 0)
        {
            try
            {
                await using var command = _simulator.Admin.CreateCommand("SELECT _rwsim.forget_session($1)");
                command.Parameters.Add(new NpgsqlParameter { Value = BackendPid });
                await command.ExecuteNonQueryAsync(CancellationToken.None);
            }
            catch (Exception e) when (e is NpgsqlException or ObjectDisposedException or InvalidOperationException)
            {
                _logger.SessionNotForgotten(e, Id);
            }
        }

        _simulator.Forget(this);
    }
}
