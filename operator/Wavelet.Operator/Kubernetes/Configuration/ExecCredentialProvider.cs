using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Wavelet.Operator.Kubernetes.Configuration;

/// <summary>
/// A kubeconfig exec plugin (client.authentication.k8s.io ExecCredential): runs the command, reads the token from its stdout,
/// and caches it until 30 s before its expirationTimestamp (or forever when it has none) or until a 401 forces a re-run.
/// </summary>
public sealed class ExecCredentialProvider : ITokenProvider, IDisposable
{
    private static readonly TimeSpan ExpiryMargin = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan PluginTimeout = TimeSpan.FromMinutes(1);

    private readonly ExecCredentialCommand _command;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private string? _token;
    private DateTimeOffset? _expiresAt;

    public ExecCredentialProvider(ExecCredentialCommand command, TimeProvider? timeProvider = null, ILogger? logger = null)
    {
        _command = command;
        _time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>How many times the plugin ran (cache misses), for diagnostics.</summary>
    public int Runs { get; private set; }

    public void Dispose() => _gate.Dispose();

    public async ValueTask<string?> GetTokenAsync(bool forceRefresh, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (!forceRefresh && _token is not null && (_expiresAt is null || _time.GetUtcNow() < _expiresAt.Value - ExpiryMargin))
            {
                return _token;
            }

            (_token, _expiresAt) = await RunAsync(cancellationToken);
            return _token;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<(string Token, DateTimeOffset? ExpiresAt)> RunAsync(CancellationToken cancellationToken)
    {
        Runs++;
        var apiVersion = _command.ApiVersion ?? "client.authentication.k8s.io/v1";
        var start = new ProcessStartInfo(_command.Command)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = _command.WorkingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var arg in _command.Args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in _command.Env)
        {
            start.Environment[name] = value;
        }

        start.Environment["KUBERNETES_EXEC_INFO"] = new JsonObject
        {
            ["apiVersion"] = apiVersion,
            ["kind"] = "ExecCredential",
            ["spec"] = new JsonObject { ["interactive"] = false },
        }.ToJsonString();

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new KubeConfigException($"The exec credential plugin '{_command.Command}' did not start.");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            var hint = _command.InstallHint is { Length: > 0 } h ? $" {h}" : " Install it or fix users[].user.exec.command in the kubeconfig.";
            throw new KubeConfigException($"Cannot run the exec credential plugin '{_command.Command}': {ex.Message}.{hint}", ex);
        }

        using (process)
        {
            process.StandardInput.Close();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(PluginTimeout);
            var stdoutTask = process.StandardOutput.ReadToEndAsync(timeout.Token);
            var stderrTask = process.StandardError.ReadToEndAsync(timeout.Token);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                if (cancellationToken.IsCancellationRequested)
                {
                    throw;
                }

                throw new KubeConfigException($"The exec credential plugin '{_command.Command}' did not finish within {PluginTimeout.TotalSeconds:0} s.");
            }

            var stdout = await stdoutTask;
            var stderr = await stderrTask;
            if (process.ExitCode != 0)
            {
                throw new KubeConfigException($"The exec credential plugin '{_command.Command}' exited with code {process.ExitCode}: {stderr.Trim()}");
            }

            _logger.LogDebug("Exec credential plugin {Command} ran", _command.Command);
            return Parse(stdout, apiVersion);
        }
    }

    private (string Token, DateTimeOffset? ExpiresAt) Parse(string stdout, string apiVersion)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(stdout);
        }
        catch (JsonException ex)
        {
            throw new KubeConfigException($"The exec credential plugin '{_command.Command}' printed no valid ExecCredential JSON: {ex.Message}", ex);
        }

        if (root?["kind"]?.GetValue<string>() != "ExecCredential")
        {
            throw new KubeConfigException($"The exec credential plugin '{_command.Command}' printed JSON that is not an ExecCredential (kind must be ExecCredential).");
        }

        var printedVersion = root["apiVersion"]?.GetValue<string>();
        if (printedVersion is not null && printedVersion != apiVersion)
        {
            throw new KubeConfigException($"The exec credential plugin '{_command.Command}' answered with apiVersion {printedVersion}, but the kubeconfig asked for {apiVersion}.");
        }

        var status = root["status"];
        var token = status?["token"]?.GetValue<string>();
        if (string.IsNullOrEmpty(token))
        {
            if (status?["clientCertificateData"] is not null)
            {
                throw new KubeConfigException($"The exec credential plugin '{_command.Command}' returned a client certificate; this client supports token credentials from exec plugins only.");
            }

            throw new KubeConfigException($"The exec credential plugin '{_command.Command}' returned no status.token.");
        }

        var expiry = status?["expirationTimestamp"]?.GetValue<string>();
        DateTimeOffset? expiresAt = expiry is null
            ? null
            : DateTimeOffset.Parse(expiry, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal);
        return (token, expiresAt);
    }
}

/// <summary>What to run for an exec credential plugin (from users[].user.exec).</summary>
public sealed record ExecCredentialCommand(string Command)
{
    public IReadOnlyList<string> Args { get; init; } = [];
    public IReadOnlyDictionary<string, string> Env { get; init; } = new Dictionary<string, string>();
    public string? ApiVersion { get; init; }
    public string? InstallHint { get; init; }
    public string? WorkingDirectory { get; init; }
}
