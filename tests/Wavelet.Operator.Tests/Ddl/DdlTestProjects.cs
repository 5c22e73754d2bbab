namespace Wavelet.Operator.Tests.Ddl;

/// <summary>Builds WaveletProjects for DDL tests; every project gets its own schema.</summary>
internal static class DdlTestProjects
{
    public static WaveletProject Create(string name, string? uid = null)
    {
        var project = new WaveletProject
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "apps", Uid = uid ?? Guid.NewGuid().ToString() },
            Spec = new WaveletProjectSpec
            {
                Risingwave = new RisingWaveSpec { ConnectionSecretRef = new SecretKeySelector { Name = "db", Key = "url" } },
            },
        };
        return project;
    }

    public static string UniqueName(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..8]}";

    public static WaveletProject WithEvent(this WaveletProject project, string name, params (string Name, string Type)[] columns)
    {
        project.Spec.Events.RemoveAll(e => e.Name == name);
        project.Spec.Events.Add(new EventSpec { Name = name, Columns = columns.Select(c => new ColumnSpec { Name = c.Name, Type = c.Type }).ToList() });
        return project;
    }

    public static WaveletProject WithQuery(this WaveletProject project, string name, string sql, string? retention = null, string? filterBy = null)
    {
        project.Spec.Queries.RemoveAll(q => q.Name == name);
        project.Spec.Queries.Add(new QuerySpec { Name = name, Sql = sql, Retention = retention, FilterBy = filterBy });
        if (filterBy is not null)
        {
            project.Spec.Auth = new AuthSpec { Jwt = new JwtSpec { SecretRef = new SecretKeySelector { Name = "jwt", Key = "key" } } };
        }

        return project;
    }

    /// <summary>A postgres source whose tables each have columns id bigint (the key) and total decimal.</summary>
    public static WaveletProject WithSource(this WaveletProject project, string name, string host, params (string Upstream, string Name)[] tables) =>
        project.WithSource(name, host, 5432, "shop", tables);

    public static WaveletProject WithSource(this WaveletProject project, string name, string host, int port, string database, params (string Upstream, string Name)[] tables)
    {
        project.Spec.Sources.RemoveAll(s => s.Name == name);
        project.Spec.Sources.Add(new SourceSpec
        {
            Name = name,
            Connection = new SourceConnectionSpec { Host = host, Port = port, Database = database, User = "replicator", PasswordSecretRef = new SecretKeySelector { Name = "shop-db", Key = "password" } },
            Tables = tables.Select(t => new SourceTableSpec
            {
                Table = t.Upstream, Name = t.Name,
                Columns = [new ColumnSpec { Name = "id", Type = ColumnTypes.BigInt }, new ColumnSpec { Name = "total", Type = ColumnTypes.Decimal }],
                PrimaryKey = ["id"],
            }).ToList(),
        });
        return project;
    }

    public static WaveletProject Without(this WaveletProject project, string name)
    {
        project.Spec.Events.RemoveAll(e => e.Name == name);
        project.Spec.Queries.RemoveAll(q => q.Name == name);
        return project;
    }

    public static WaveletProject AllowingDestructiveChanges(this WaveletProject project)
    {
        project.Spec.Ddl = new DdlSpec { AllowDestructiveChanges = true };
        return project;
    }
}
