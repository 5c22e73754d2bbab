using System.Globalization;
using Wavelet.Api.V1Alpha1;

namespace Wavelet.Ddl;

/// <summary>A replicated table: its name in the project's schema, the upstream schema.table, columns and key.</summary>
public sealed record DesiredCdcTable(string Name, string Upstream, IReadOnlyList<DesiredColumn> Columns, IReadOnlyList<string> PrimaryKey, string SpecHash);

/// <summary>A postgres-cdc source with its connection (password kept apart, see <see cref="Password"/>) and tables.</summary>
public sealed record DesiredSource(
    string Name, string Host, int Port, string Database, string User, string SslMode, string Slot, string Publication,
    IReadOnlyList<DesiredCdcTable> Tables, string SpecHash)
{
    /// <summary>Null when the sync has no password for this source. Excluded from <see cref="SpecHash"/> and from ToString.</summary>
    public string? Password { get; init; }

    public override string ToString() => $"DesiredSource {{ Name = {Name}, Host = {Host}, Database = {Database}, Slot = {Slot} }}";

    public static DesiredSource From(WaveletProject project, SourceSpec source, SourceCredentials credentials)
    {
        var connection = source.Connection;
        var port = connection.Port ?? WaveletProjectDefaults.SourcePort;
        var sslMode = connection.SslMode ?? WaveletProjectDefaults.SourceSslMode;
        var slot = WaveletProjectDefaults.EffectiveSlotName(project, source);
        var publication = WaveletProjectDefaults.EffectivePublicationName(project, source);
        // The password is not hashed: a hash of a secret in a readable table could be brute-forced (see the design record).
        var hash = DesiredSchema.Hash(string.Join('\n', "postgres-cdc", connection.Host, port.ToString(CultureInfo.InvariantCulture),
            connection.Database, connection.User, sslMode, slot, publication));
        var tables = source.Tables.Select(t =>
        {
            var columns = t.Columns.Select(c => new DesiredColumn(c.Name, c.Type)).ToList();
            var tableHash = DesiredSchema.Hash(string.Join('\n', hash, source.Name, t.Table,
                string.Join(',', columns.Select(c => c.Name + " " + c.Type)), string.Join(',', t.PrimaryKey)));
            return new DesiredCdcTable(WaveletProjectDefaults.EffectiveTableName(t), t.Table, columns, t.PrimaryKey.ToList(), tableHash);
        }).ToList();
        return new DesiredSource(source.Name, connection.Host, port, connection.Database, connection.User, sslMode, slot, publication, tables, hash)
        {
            Password = credentials.PasswordOf(source.Name),
        };
    }
}
