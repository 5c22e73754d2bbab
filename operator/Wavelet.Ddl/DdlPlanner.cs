using System.Text.RegularExpressions;
using Wavelet.Api;

namespace Wavelet.Ddl;

/// <summary>
/// Computes the minimal ordered change from what exists to what the project wants. Pure: reads nothing, runs nothing.
/// Order: schema and metadata → drop subscriptions and views (dependents first) → tables → create views (dependencies
/// first) → subscriptions. Only objects this project recorded in its metadata table are ever dropped.
/// </summary>
public static partial class DdlPlanner
{
    public static DdlPlan Plan(DesiredSchema desired, ActualSchema actual, bool supportsAlterRetention = true)
    {
        SchemaClaim.EnsureClaimable(desired, actual);

        var plan = new PlanBuilder(desired);
        if (!actual.SchemaExists)
        {
            plan.Step($"CREATE SCHEMA IF NOT EXISTS {plan.Schema}");
        }

        if (!actual.MetadataExists)
        {
            plan.Step(SchemaClaim.CreateMetadataTable(plan.Schema, ifNotExists: true));
        }

        if (actual.Owner is null)
        {
            plan.Record(OwnedKinds.Project, "", actual.SchemaExists && !actual.MetadataExists ? SchemaClaim.ExistingSchemaMarker : "");
        }

        var desiredQueries = desired.Queries.ToDictionary(q => q.Name, StringComparer.Ordinal);

        // A view with a query's name that Wavelet did not create is replaced only with the destructive flag.
        var foreign = desired.AllowDestructiveChanges ? new HashSet<string>(StringComparer.Ordinal) : desired.Queries
            .Where(q => actual.MaterializedViews.ContainsKey(q.Name) && actual.FindOwned(OwnedKinds.Query, q.Name) is null)
            .Select(q => q.Name).ToHashSet(StringComparer.Ordinal);
        var changed = desired.Queries
            .Where(q => actual.MaterializedViews.ContainsKey(q.Name) && actual.FindOwned(OwnedKinds.Query, q.Name)?.SpecHash != q.SpecHash)
            .Select(q => q.Name).Where(q => !foreign.Contains(q)).ToHashSet(StringComparer.Ordinal);
        var removed = actual.Owned.Where(o => o.Kind == OwnedKinds.Query && !desiredQueries.ContainsKey(o.Name))
            .Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        var sources = PlanSourceChanges(desired, actual);
        var dependents = Dependents(actual.ViewDependencies, changed.Concat(removed).Concat(sources.DroppedTables));
        var recreated = dependents.Where(desiredQueries.ContainsKey).Except(changed).ToHashSet(StringComparer.Ordinal);
        var dropped = changed.Concat(recreated).Concat(removed).Where(actual.MaterializedViews.ContainsKey).ToHashSet(StringComparer.Ordinal);

        foreach (var view in DropOrder(dropped, actual.ViewDependencies))
        {
            var subscription = WaveletNames.SubscriptionPrefix + view;
            if (actual.Subscriptions.ContainsKey(subscription))
            {
                plan.Step($"DROP SUBSCRIPTION {plan.Qualified(subscription)}");
            }

            plan.Step($"DROP MATERIALIZED VIEW {plan.Qualified(view)}");
            plan.Forget(OwnedKinds.Query, view);
            if (removed.Contains(view))
            {
                plan.Action(DdlActionTypes.Delete, DdlResources.Subscription, subscription);
                plan.Action(DdlActionTypes.Delete, DdlResources.Query, view);
            }
        }

        PlanSources(plan, actual, sources);
        PlanEvents(plan, desired, actual);

        foreach (var query in CreateOrder(desired.Queries))
        {
            if (foreign.Contains(query.Name))
            {
                plan.Action(DdlActionTypes.Blocked, DdlResources.Query, query.Name,
                    "a materialized view with this name exists and was not created by Wavelet; replacing it drops it: rename the query, or set spec.ddl.allowDestructiveChanges: true to replace it");
                continue;
            }

            var exists = actual.MaterializedViews.ContainsKey(query.Name) && !dropped.Contains(query.Name);
            if (!exists)
            {
                // Recorded before it is created: a sync cut off in between leaves a row without a view (forgotten or
                // created next time), never a view of ours that looks foreign.
                plan.Record(OwnedKinds.Query, query.Name, query.SpecHash);
                plan.UseSchemaForNames();
                plan.Step($"CREATE MATERIALIZED VIEW {plan.Qualified(query.Name)} AS {query.Sql}");
            }

            plan.Action(
                !actual.MaterializedViews.ContainsKey(query.Name) ? DdlActionTypes.Create
                    : changed.Contains(query.Name) ? DdlActionTypes.Update
                    : recreated.Contains(query.Name) ? DdlActionTypes.Update
                    : DdlActionTypes.Unchanged,
                DdlResources.Query, query.Name,
                changed.Contains(query.Name) ? "SQL changed: view recreated"
                    : recreated.Contains(query.Name) ? "recreated because a query it reads changed" : null);
            PlanSubscription(plan, query, actual, exists, supportsAlterRetention);
        }

        return plan.Build();
    }

    private static void PlanSubscription(PlanBuilder plan, DesiredQuery query, ActualSchema actual, bool viewKept, bool supportsAlterRetention)
    {
        var create = $"CREATE SUBSCRIPTION {plan.Qualified(query.Subscription)} FROM {plan.Qualified(query.Name)} WITH (retention = '{query.Retention.ToRisingWave()}')";
        if (!viewKept || !actual.Subscriptions.TryGetValue(query.Subscription, out var existing))
        {
            plan.Step(create);
            var recreated = !viewKept && actual.Subscriptions.ContainsKey(query.Subscription);
            plan.Action(recreated ? DdlActionTypes.Update : DdlActionTypes.Create,
                DdlResources.Subscription, query.Subscription, recreated ? "recreated with its query" : null);
            return;
        }

        if (existing.RetentionSeconds is null || existing.RetentionSeconds == query.Retention.TotalSeconds)
        {
            plan.Action(DdlActionTypes.Unchanged, DdlResources.Subscription, query.Subscription);
            return;
        }

        if (supportsAlterRetention)
        {
            plan.Step($"ALTER SUBSCRIPTION {plan.Qualified(query.Subscription)} SET (retention = '{query.Retention.ToRisingWave()}')");
        }
        else
        {
            plan.Step($"DROP SUBSCRIPTION {plan.Qualified(query.Subscription)}");
            plan.Step(create);
        }

        plan.Action(DdlActionTypes.Update, DdlResources.Subscription, query.Subscription,
            $"retention {existing.RetentionSeconds}s → {query.Retention.TotalSeconds}s");
    }

    private static void PlanEvents(PlanBuilder plan, DesiredSchema desired, ActualSchema actual)
    {
        foreach (var ev in desired.Events)
        {
            if (!actual.Tables.TryGetValue(ev.Name, out var table))
            {
                var columns = string.Join(", ", ev.Columns.Select(c => $"{WaveletNames.Quote(c.Name)} {c.SqlType}"));
                plan.Record(OwnedKinds.Event, ev.Name, "");
                plan.Step($"CREATE TABLE {plan.Qualified(ev.Name)} ({columns})");
                plan.Action(DdlActionTypes.Create, DdlResources.Event, ev.Name);
                continue;
            }

            var actualColumns = table.Columns.ToDictionary(c => c.Name, c => c.Type, StringComparer.Ordinal);
            var wanted = ev.Columns.ToDictionary(c => c.Name, StringComparer.Ordinal);
            var added = ev.Columns.Where(c => !actualColumns.ContainsKey(c.Name)).ToList();
            var dropped = table.Columns.Where(c => !wanted.ContainsKey(c.Name)).Select(c => c.Name).ToList();
            var retyped = ev.Columns.Where(c => actualColumns.TryGetValue(c.Name, out var type) && type != c.CatalogType).ToList();
            if ((dropped.Count > 0 || retyped.Count > 0) && !desired.AllowDestructiveChanges)
            {
                var what = dropped.Select(d => $"drop column {d}")
                    .Concat(retyped.Select(r => $"change column {r.Name} from {actualColumns[r.Name]} to {r.CatalogType}"));
                plan.Action(DdlActionTypes.Blocked, DdlResources.Event, ev.Name,
                    $"would {string.Join(" and ", what)}, which loses data; set spec.ddl.allowDestructiveChanges: true to allow it, or restore the column");
                continue;
            }

            var qualified = plan.Qualified(ev.Name);
            foreach (var column in dropped.Concat(retyped.Select(r => r.Name)))
            {
                plan.Step($"ALTER TABLE {qualified} DROP COLUMN {WaveletNames.Quote(column)}");
            }

            foreach (var column in retyped.Concat(added))
            {
                plan.Step($"ALTER TABLE {qualified} ADD COLUMN {WaveletNames.Quote(column.Name)} {column.SqlType}");
            }

            // A table that existed before Wavelet (an adopted schema) is used but never recorded, so never dropped.
            var changes = added.Select(a => $"added column {a.Name}").Concat(dropped.Select(d => $"dropped column {d}"))
                .Concat(retyped.Select(r => $"changed type of {r.Name}")).ToList();
            plan.Action(changes.Count > 0 ? DdlActionTypes.Update : DdlActionTypes.Unchanged, DdlResources.Event, ev.Name,
                changes.Count > 0 ? string.Join(", ", changes) : null);
        }

        var desiredEvents = desired.Events.Select(e => e.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var gone in actual.Owned.Where(o => o.Kind == OwnedKinds.Event && !desiredEvents.Contains(o.Name)))
        {
            if (!actual.Tables.ContainsKey(gone.Name))
            {
                plan.Forget(OwnedKinds.Event, gone.Name);
                continue;
            }

            if (!desired.AllowDestructiveChanges)
            {
                plan.Action(DdlActionTypes.Blocked, DdlResources.Event, gone.Name,
                    "removing the event would drop its table and its data; set spec.ddl.allowDestructiveChanges: true to allow it, or restore the event");
                continue;
            }

            plan.Step($"DROP TABLE {plan.Qualified(gone.Name)}");
            plan.Forget(OwnedKinds.Event, gone.Name);
            plan.Action(DdlActionTypes.Delete, DdlResources.Event, gone.Name);
        }
    }

    /// <summary>Every view that reads, directly or not, one of <paramref name="roots"/>.</summary>
    private static HashSet<string> Dependents(IReadOnlyList<(string Dependent, string DependsOn)> edges, IEnumerable<string> roots)
    {
        var result = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Queue<string>(roots);
        while (pending.TryDequeue(out var view))
        {
            foreach (var (dependent, _) in edges.Where(e => e.DependsOn == view))
            {
                if (result.Add(dependent))
                {
                    pending.Enqueue(dependent);
                }
            }
        }

        return result;
    }

    /// <summary>Dependents before what they read.</summary>
    private static IEnumerable<string> DropOrder(HashSet<string> views, IReadOnlyList<(string Dependent, string DependsOn)> edges)
    {
        var remaining = views.Order(StringComparer.Ordinal).ToList();
        while (remaining.Count > 0)
        {
            var next = remaining.FirstOrDefault(v => !edges.Any(e => e.DependsOn == v && remaining.Contains(e.Dependent))) ?? remaining[0];
            remaining.Remove(next);
            yield return next;
        }
    }

    /// <summary>Queries that read other queries (by name in their SQL) after those; otherwise in spec order.</summary>
    private static List<DesiredQuery> CreateOrder(IReadOnlyList<DesiredQuery> queries)
    {
        var reads = queries.ToDictionary(q => q.Name,
            q => queries.Where(other => other.Name != q.Name && Regex.IsMatch(q.Sql, $@"\b{Regex.Escape(other.Name)}\b", RegexOptions.IgnoreCase))
                .Select(o => o.Name).ToList(), StringComparer.Ordinal);
        var ordered = new List<DesiredQuery>();
        var remaining = queries.ToList();
        while (remaining.Count > 0)
        {
            var next = remaining.FirstOrDefault(q => reads[q.Name].All(r => ordered.Any(o => o.Name == r))) ?? remaining[0];
            remaining.Remove(next);
            ordered.Add(next);
        }

        return ordered;
    }

    private sealed class PlanBuilder(DesiredSchema desired)
    {
        private readonly List<DdlStep> _steps = [];
        private readonly List<DdlAction> _actions = [];

        public string Schema { get; } = WaveletNames.Quote(desired.Schema);

        public string Qualified(string name) => $"{Schema}.{WaveletNames.Quote(name)}";

        private bool _searchPathSet;

        public void Step(string sql) => _steps.Add(new DdlStep(sql));

        public void Add(DdlStep step) => _steps.Add(step);

        /// <summary>Query SQL names events and other queries unqualified: resolve them in the project's schema.</summary>
        public void UseSchemaForNames()
        {
            if (!_searchPathSet)
            {
                _steps.Add(new DdlStep($"SET search_path TO {Schema}"));
                _searchPathSet = true;
            }
        }

        public void Action(string type, string resource, string name, string? detail = null) =>
            _actions.Add(new DdlAction(type, resource, name, detail));

        public void Record(string kind, string name, string hash)
        {
            Forget(kind, name);
            _steps.Add(new DdlStep(
                $"INSERT INTO {Qualified(OwnedKinds.MetadataTable)} (kind, name, spec_hash, owner_namespace, owner_name, owner_uid, applied_at) VALUES ($1, $2, $3, $4, $5, $6, now())",
                [kind, name, hash, desired.Owner.Namespace, desired.Owner.Name, desired.Owner.Uid ?? ""]));
        }

        public void Forget(string kind, string name) =>
            _steps.Add(new DdlStep($"DELETE FROM {Qualified(OwnedKinds.MetadataTable)} WHERE kind = $1 AND name = $2", [kind, name]));

        public DdlPlan Build() => new(_actions, _steps);
    }
}
