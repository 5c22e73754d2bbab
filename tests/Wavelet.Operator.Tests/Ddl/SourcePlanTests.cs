namespace Wavelet.Operator.Tests.Ddl;

/// <summary>Planning CDC sources: pure, against hand-built catalogs.</summary>
public sealed class SourcePlanTests
{
    private const string Password = "s3cr'et\\x";

    private static WaveletProject Shop(string host = "shop-db") => Create("shop", uid: "uid-shop")
        .WithSource("shop_db", host, ("public.orders", "orders"))
        .WithQuery("revenue", "SELECT sum(total) AS revenue FROM orders");

    private static SourceCredentials Credentials => new(new Dictionary<string, string> { ["shop_db"] = Password });

    private static ActualSchema Synced(WaveletProject project)
    {
        var desired = DesiredSchema.From(project, Credentials);
        var source = desired.Sources[0];
        var owner = desired.Owner;
        return new ActualSchema(true, true, owner,
            new Dictionary<string, ActualRelation> { ["orders"] = new(2, "orders", []) },
            new Dictionary<string, ActualRelation> { ["revenue"] = new(3, "revenue", []) },
            new Dictionary<string, ActualSubscription> { ["wavelet_sub_revenue"] = new("wavelet_sub_revenue", 86400) },
            [new(OwnedKinds.Source, "shop_db", source.SpecHash), new(OwnedKinds.CdcTable, "orders", source.Tables[0].SpecHash), new(OwnedKinds.Query, "revenue", desired.Queries[0].SpecHash)],
            [("revenue", "orders")])
        {
            Sources = new Dictionary<string, ActualSource> { ["shop_db"] = new(1, "shop_db") },
        };
    }

    private static List<string> Ddl(DdlPlan plan) => plan.Steps.Where(s => s.IsDdl).Select(s => s.Sql).ToList();

    [Fact]
    public void A_new_source_is_created_before_its_table_and_the_table_before_the_views_reading_it()
    {
        var plan = DdlPlanner.Plan(DesiredSchema.From(Shop(), Credentials), ActualSchema.Empty);

        var ddl = Ddl(plan);
        var source = ddl.FindIndex(s => s.StartsWith("CREATE SOURCE \"shop\".\"shop_db\" WITH (connector = 'postgres-cdc', hostname = 'shop-db', port = '5432', username = 'replicator', password = 's3cr''et\\x', database.name = 'shop', slot.name = 'wavelet_apps_shop_shop_db', publication.name = 'wavelet_apps_shop_shop_db', ssl.mode = 'disabled')", StringComparison.Ordinal));
        var table = ddl.IndexOf("CREATE TABLE \"shop\".\"orders\" (\"id\" BIGINT, \"total\" DECIMAL, PRIMARY KEY (\"id\")) FROM \"shop\".\"shop_db\" TABLE 'public.orders'");
        var view = ddl.FindIndex(s => s.StartsWith("CREATE MATERIALIZED VIEW \"shop\".\"revenue\"", StringComparison.Ordinal));
        Assert.True(source >= 0 && table > source && view > table, string.Join("\n", ddl));
        Assert.Contains(new DdlAction("create", "source", "shop_db"), plan.Actions);
        Assert.Contains(new DdlAction("create", "table", "orders"), plan.Actions);
    }

    [Fact]
    public void The_password_is_never_in_what_is_shown_of_a_plan()
    {
        var plan = DdlPlanner.Plan(DesiredSchema.From(Shop(), Credentials), ActualSchema.Empty);

        var create = Assert.Single(plan.Steps, s => s.Sql.StartsWith("CREATE SOURCE", StringComparison.Ordinal));
        Assert.Contains("password = '******'", create.Display, StringComparison.Ordinal);
        Assert.All(plan.Steps, s => Assert.DoesNotContain("s3cr", s.Display, StringComparison.Ordinal));
        Assert.All(plan.Steps, s => Assert.DoesNotContain("s3cr", s.ToString(), StringComparison.Ordinal));
        Assert.DoesNotContain("s3cr", DesiredSchema.From(Shop(), Credentials).Sources[0].ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Creating_a_source_without_its_password_fails_with_a_clear_reason()
    {
        var error = Assert.Throws<DdlException>(() => DdlPlanner.Plan(DesiredSchema.From(Shop(), SourceCredentials.None), ActualSchema.Empty));
        Assert.Equal(DdlFailureReason.SourcePasswordMissing, error.Reason);
        Assert.Contains("passwordSecretRef", error.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unchanged_source_plans_nothing_and_a_new_password_alone_does_not_recreate_it()
    {
        var project = Shop();
        var plan = DdlPlanner.Plan(DesiredSchema.From(project, new SourceCredentials(new Dictionary<string, string> { ["shop_db"] = "rotated" })), Synced(project));

        Assert.Empty(plan.Steps);
        Assert.True(plan.InSync);
    }

    [Fact]
    public void A_changed_connection_is_blocked_without_allowDestructiveChanges()
    {
        var plan = DdlPlanner.Plan(DesiredSchema.From(Shop(host: "new-db"), Credentials), Synced(Shop()));

        Assert.Empty(plan.Steps);
        var blocked = Assert.Single(plan.Blocked);
        Assert.Equal(("source", "shop_db"), (blocked.Resource, blocked.Name));
        Assert.Contains("allowDestructiveChanges", blocked.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_changed_connection_with_allowDestructiveChanges_recreates_source_table_and_the_views_reading_it_in_order()
    {
        var plan = DdlPlanner.Plan(DesiredSchema.From(Shop(host: "new-db").AllowingDestructiveChanges(), Credentials), Synced(Shop()));

        Assert.Equal(
            [
                "DROP SUBSCRIPTION \"shop\".\"wavelet_sub_revenue\"", "DROP MATERIALIZED VIEW \"shop\".\"revenue\"",
                "DROP TABLE \"shop\".\"orders\"", "DROP SOURCE \"shop\".\"shop_db\"",
                "CREATE SOURCE", "CREATE TABLE", "CREATE MATERIALIZED VIEW", "CREATE SUBSCRIPTION",
            ],
            Ddl(plan).Select(s => s.StartsWith("CREATE", StringComparison.Ordinal) ? string.Join(' ', s.Split(' ').Take(s.StartsWith("CREATE MATERIALIZED", StringComparison.Ordinal) ? 3 : 2)) : s));
    }

    [Fact]
    public void Dropping_the_project_drops_tables_before_their_source()
    {
        var project = Shop();
        var desired = DesiredSchema.From(project) with { Events = [], Queries = [], Sources = [], AllowDestructiveChanges = true };

        var plan = DdlPlanner.Plan(desired, Synced(project));

        Assert.Equal(["DROP SUBSCRIPTION \"shop\".\"wavelet_sub_revenue\"", "DROP MATERIALIZED VIEW \"shop\".\"revenue\"", "DROP TABLE \"shop\".\"orders\"", "DROP SOURCE \"shop\".\"shop_db\""], Ddl(plan));
        Assert.Contains(new DdlAction("delete", "source", "shop_db", "its replication slot is dropped with it"), plan.Actions);
    }

    [Fact]
    public void Removing_a_source_is_blocked_without_allowDestructiveChanges()
    {
        var project = Shop();
        var desired = DesiredSchema.From(Create("shop", uid: "uid-shop").WithQuery("revenue", "SELECT 1 AS revenue"));

        var plan = DdlPlanner.Plan(desired, Synced(project));

        Assert.DoesNotContain(plan.Steps, s => s.Sql.StartsWith("DROP SOURCE", StringComparison.Ordinal) || s.Sql.StartsWith("DROP TABLE", StringComparison.Ordinal));
        Assert.Contains(plan.Blocked, a => a.Resource == "source");
        Assert.Contains(plan.Blocked, a => a.Resource == "table");
    }
}
