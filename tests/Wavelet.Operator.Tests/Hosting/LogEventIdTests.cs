using System.Reflection;
using Microsoft.Extensions.Logging;
using Wavelet.DataPlane.Hosting;
using Wavelet.Ddl;
using Wavelet.Engine;
using Wavelet.Operator.Hosting;

namespace Wavelet.Operator.Tests.Hosting;

/// <summary>
/// The event-id catalog of docs/design/conventions.md: every [LoggerMessage] of the product assemblies has its own id,
/// inside the range of the folder (namespace) it is declared in, so a dashboard or alert can key on ids. This project
/// references all four assemblies that log (the operator, Wavelet.Ddl, the data plane and, through Wavelet.Testing, the engine).
/// </summary>
public sealed class LogEventIdTests
{
    /// <summary>Namespace → first id of its range of 100 (the table in docs/design/conventions.md).</summary>
    private static readonly Dictionary<string, int> Ranges = new(StringComparer.Ordinal)
    {
        ["Wavelet.Operator.Hosting"] = 1000,
        ["Wavelet.Operator.Controller"] = 1100,
        ["Wavelet.Operator.Reconciliation"] = 1200,
        ["Wavelet.Operator.Kubernetes.Watch"] = 1300,
        ["Wavelet.Operator.Kubernetes.LeaderElection"] = 1400,
        ["Wavelet.Operator.Kubernetes.Events"] = 1500,
        ["Wavelet.DataPlane.Web"] = 2000,
        ["Wavelet.DataPlane.Config"] = 2100,
        ["Wavelet.DataPlane.Feed"] = 2200,
        ["Wavelet.DataPlane.Webhooks"] = 2300,
        ["Wavelet.DataPlane.Mcp"] = 2400,
        ["Wavelet.DataPlane.Operations"] = 2500,
        ["Wavelet.DataPlane.Auth"] = 2600,
        ["Wavelet.DataPlane.Fanout"] = 2700,
        ["Wavelet.DataPlane.Events"] = 2800,
        ["Wavelet.DataPlane.Hosting"] = 2900,
        ["Wavelet.Ddl"] = 3000,
        ["Wavelet.Engine"] = 4000,
        ["Wavelet.Engine.Cdc"] = 4100,
    };

    private static readonly Assembly[] Logging =
        [typeof(OperatorHostBuilder).Assembly, typeof(DdlManager).Assembly, typeof(DataPlaneHost).Assembly, typeof(LocalEngine).Assembly];

    [Fact]
    public void Every_log_message_has_a_unique_id_in_its_folders_range()
    {
        var messages = Logging
            .SelectMany(assembly => assembly.GetTypes())
            .SelectMany(type => type.GetMethods(BindingFlags.Static | BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            .Select(method => (Method: method, Attribute: method.GetCustomAttribute<LoggerMessageAttribute>()))
            .Where(m => m.Attribute is not null)
            .Select(m => (Name: $"{m.Method.DeclaringType!.FullName}.{m.Method.Name}", Namespace: m.Method.DeclaringType!.Namespace!, m.Attribute!.EventId))
            .ToList();

        Assert.True(messages.Count >= 40, $"found only {messages.Count} [LoggerMessage] methods");
        var problems = new List<string>();
        foreach (var (name, ns, id) in messages)
        {
            if (!Ranges.TryGetValue(ns, out var first))
            {
                problems.Add($"{name}: namespace {ns} has no event-id range; add one to docs/design/conventions.md and this table");
            }
            else if (id < first || id >= first + 100)
            {
                problems.Add($"{name}: event id {id} is outside {ns}'s range {first}-{first + 99}");
            }
        }

        problems.AddRange(messages.GroupBy(m => m.EventId).Where(g => g.Count() > 1)
            .Select(g => $"event id {g.Key} is used by {string.Join(", ", g.Select(m => m.Name))}"));
        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }
}
