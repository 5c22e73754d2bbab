using Wavelet.Api.Meta;
using Wavelet.Api.Serialization;
using Wavelet.Api.V1Alpha1;
using Wavelet.Ddl;

namespace Wavelet.DataPlane.Tests;

/// <summary>
/// examples/cdc-orders.yaml end to end: its source replicates from a real PostgreSQL with wal_level=logical through the
/// local engine; a row changed there reaches a WebSocket client as a diff; deleting the project (Delete) leaves no slot.
/// </summary>
public sealed class CdcExampleTests(RisingWaveFixture rw, CdcSourceDatabase source) : IClassFixture<RisingWaveFixture>, IClassFixture<CdcSourceDatabase>
{
    [Fact]
    public async Task A_row_changed_in_the_source_database_reaches_a_websocket_client_and_deleting_the_project_leaves_no_slot()
    {
        if (!rw.IsSimulator)
        {
            return; // a real RisingWave would need to reach the test's loopback database
        }

        var manifests = ManifestLoader.LoadFile(ExamplePath("cdc-orders.yaml"));
        var project = manifests.Projects.Single();
        project.Metadata.NamespaceProperty = "apps";
        project.Metadata.Name = "cdc-orders-" + Guid.NewGuid().ToString("N")[..6];
        project.Metadata.Uid = Guid.NewGuid().ToString();
        var connection = project.Spec.Sources[0].Connection;
        (connection.Host, connection.Port) = ("127.0.0.1", source.Port);
        await source.ExecuteAsync("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'wavelet_replicator') THEN CREATE ROLE wavelet_replicator LOGIN REPLICATION SUPERUSER; END IF; END $$");
        Assert.True(manifests.FindSecret("cdc-orders-shop-db")!.TryGetValue("password", out var password));
        Assert.True(manifests.FindSecret("cdc-orders-jwt")!.TryGetValue("key", out var signingKey));
        var slot = WaveletProjectDefaults.EffectiveSlotName(project, project.Spec.Sources[0]);
        await source.ExecuteAsync("INSERT INTO public.orders (id, status, total) VALUES (101, 'paid', 30)");

        await using var ddl = new DdlManager();
        await ddl.ConnectAsync(rw.ConnectionString);
        var sync = await ddl.SyncAsync(project, new SourceCredentials(new Dictionary<string, string> { ["shop_db"] = password }));
        Assert.Contains(slot, await source.SlotsAsync());

        await Eventually.UntilAsync(async () =>
        {
            await using var db = rw.CreateDataSource();
            await using var count = db.CreateCommand($"SELECT count(*) FROM \"{sync.Schema}\".revenue_by_status WHERE status = 'paid'");
            return Convert.ToInt64(await count.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture) == 1;
        }, "the initial copy of the source table reaches the view");

        var config = DataPlaneConfigBuilder.Build(project, sync);
        Assert.DoesNotContain(password, JsonSerializer.Serialize(config), StringComparison.Ordinal);
        var environment = new Dictionary<string, string> { [DataPlaneEnvironment.DatabaseUrl] = rw.Url, [DataPlaneEnvironment.JwtSecret] = signingKey };
        await using (var app = DataPlaneHost.Build(config, ["--urls", "http://127.0.0.1:0", "--DataPlane:DrainDelay", "00:00:00"], name => environment.GetValueOrDefault(name)))
        {
            await app.StartAsync();
            var baseUri = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
            using var http = new HttpClient { BaseAddress = baseUri };
            await Eventually.UntilAsync(async () => (await http.GetAsync(new Uri("/readyz", UriKind.Relative))).IsSuccessStatusCode, "the feed has its snapshot");

            var uri = new UriBuilder(baseUri) { Scheme = "ws", Path = "/subscribe/revenue_by_status", Query = "token=" + Uri.EscapeDataString(DataPlaneServer.Token(null, secret: signingKey)) };
            var socket = new System.Net.WebSockets.ClientWebSocket();
            await socket.ConnectAsync(uri.Uri, CancellationToken.None);
            await using var client = new LiveSocket(socket);
            var snapshot = await client.ReceiveTypeAsync("snapshot");
            Assert.Contains("\"paid\"", snapshot.GetRawText(), StringComparison.Ordinal);

            await source.ExecuteAsync("INSERT INTO public.orders (id, status, total) VALUES (102, 'cancelled', 12.5)");
            var inserted = await RowAsync(client, "inserted", "cancelled");
            Assert.Equal("12.5", inserted.GetProperty("revenue").GetString()); // numeric and bigint arrive as strings, as upstream sends them
            Assert.Equal("1", inserted.GetProperty("orders").GetString());

            await source.ExecuteAsync("DELETE FROM public.orders WHERE id = 102");
            var deleted = await RowAsync(client, "deleted", "cancelled");
            Assert.Equal("12.5", deleted.GetProperty("revenue").GetString());
        }

        Assert.Equal(DeletionPolicies.Delete, WaveletProjectDefaults.EffectiveDeletionPolicy(project));
        await ddl.DropAsync(project);
        Assert.DoesNotContain(slot, await source.SlotsAsync());
    }

    /// <summary>The first row with <paramref name="status"/> in the <paramref name="part"/> of the next diffs (each wait bounded by the socket's timeout).</summary>
    private static async Task<JsonElement> RowAsync(LiveSocket client, string part, string status)
    {
        while (true)
        {
            var diff = await client.ReceiveTypeAsync("diff");
            foreach (var row in diff.GetProperty(part).EnumerateArray())
            {
                if (row.GetProperty("status").GetString() == status)
                {
                    return row;
                }
            }
        }
    }

    private static string ExamplePath(string file)
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var path = Path.Combine(directory.FullName, "examples", file);
            if (File.Exists(path))
            {
                return path;
            }
        }

        throw new FileNotFoundException($"examples/{file} not found above {AppContext.BaseDirectory}");
    }
}
