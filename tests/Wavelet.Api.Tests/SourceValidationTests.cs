namespace Wavelet.Api.Tests;

public class SourceValidationTests
{
    private static WaveletProject WithSource(Action<SourceSpec>? change = null)
    {
        var project = TestProjects.Valid();
        var source = new SourceSpec
        {
            Name = "shop_db",
            Type = SourceTypes.Postgres,
            Connection = new() { Host = "shop-db.apps.svc", Database = "shop", User = "replicator", PasswordSecretRef = new() { Name = "shop-db", Key = "password" } },
            Tables =
            [
                new() { Table = "public.orders", Columns = [new() { Name = "id", Type = "bigint" }, new() { Name = "total", Type = "decimal" }], PrimaryKey = ["id"] },
            ],
        };
        change?.Invoke(source);
        project.Spec.Sources.Add(source);
        return project;
    }

    private static List<string> Problems(WaveletProject project) => WaveletProjectValidator.Validate(project).Select(p => p.ToString()).ToList();

    [Fact]
    public void A_valid_source_has_no_problems() => Assert.Empty(Problems(WithSource()));

    [Theory]
    [InlineData("spec.sources[0].connection.host: \"db; host=evil\" is not a valid host")]
    public void Connection_fields_are_checked_with_their_paths(string expected) =>
        Assert.Contains(Problems(WithSource(s => s.Connection.Host = "db; host=evil")), p => p.StartsWith(expected, StringComparison.Ordinal));

    [Fact]
    public void Every_source_problem_is_reported_with_its_field_path()
    {
        var problems = Problems(WithSource(s =>
        {
            s.Type = "mysql";
            s.SlotName = "Bad-Slot";
            s.Connection.User = "";
            s.Connection.SslMode = "on";
            s.Connection.PasswordSecretRef = null!;
            s.Tables[0].Table = "orders";
            s.Tables[0].PrimaryKey = ["order_id"];
        }));
        Assert.Equal(
            [
                "spec.sources[0].type: \"mysql\" is not a valid source type; use one of postgres",
                "spec.sources[0].connection.user: is required; set the user name",
                "spec.sources[0].connection.passwordSecretRef: is required; set name and key of the Secret holding the source database password",
                "spec.sources[0].connection.sslMode: \"on\" is not a valid SSL mode; use one of disabled, preferred, required, verify-ca, verify-full",
                "spec.sources[0].slotName: \"Bad-Slot\" is not a valid replication slot name; use 1 to 63 lowercase letters, digits and underscores (PostgreSQL's rule for slot names)",
                "spec.sources[0].tables[0].table: \"orders\" is not a valid schema.table; name the source table with its schema, e.g. public.orders, in lowercase letters, digits and underscores",
                "spec.sources[0].tables[0].primaryKey[0]: \"order_id\" is not one of the table's columns; list the key column under columns too",
            ],
            problems);
    }

    [Fact]
    public void A_replicated_table_may_not_share_a_name_with_an_event()
    {
        var problems = Problems(WithSource(s => s.Tables[0].Name = "game_events"));
        Assert.Equal(["spec.sources[0].tables[0].name: \"game_events\" is already used by spec.events[0].name; give every event, query and subscription a different name"], problems);
    }

    [Fact]
    public void Two_sources_may_not_share_a_slot()
    {
        var project = WithSource(s => s.SlotName = "shared");
        project.Spec.Sources.Add(new SourceSpec
        {
            Name = "other_db", Connection = project.Spec.Sources[0].Connection, SlotName = "shared",
            Tables = [new() { Table = "public.users", Columns = [new() { Name = "id", Type = "int" }], PrimaryKey = ["id"] }],
        });
        Assert.Equal(["spec.sources[1].slotName: replication slot \"shared\" is already used by spec.sources[0]; give each source its own slotName: a slot feeds exactly one source"], Problems(project));
    }

    [Fact]
    public void Default_slots_differ_between_projects_and_namespaces_and_are_valid_slot_names()
    {
        var source = WithSource().Spec.Sources[0];
        var a = WaveletProjectDefaults.EffectiveSlotName(new WaveletProject { Metadata = new() { Name = "shop", NamespaceProperty = "team-a" } }, source);
        var b = WaveletProjectDefaults.EffectiveSlotName(new WaveletProject { Metadata = new() { Name = "shop", NamespaceProperty = "team-b" } }, source);
        var c = WaveletProjectDefaults.EffectiveSlotName(new WaveletProject { Metadata = new() { Name = "shop2", NamespaceProperty = "team-a" } }, source);
        var plain = WaveletProjectDefaults.EffectiveSlotName(new WaveletProject { Metadata = new() { Name = "shop", NamespaceProperty = "apps" } }, source);
        var longName = WaveletProjectDefaults.EffectiveSlotName(new WaveletProject { Metadata = new() { Name = new string('p', 120), NamespaceProperty = new string('n', 60) } }, source);

        Assert.Equal("wavelet_apps_shop_shop_db", plain);
        Assert.Equal(3, new[] { a, b, c }.Distinct().Count());
        Assert.All(new[] { a, b, c, plain, longName }, slot => Assert.True(SourceNames.IsValidSlot(slot), slot));
        Assert.Equal(63, longName.Length);
        Assert.Equal(a, WaveletProjectDefaults.EffectivePublicationName(new WaveletProject { Metadata = new() { Name = "shop", NamespaceProperty = "team-a" } }, source));
    }
}
