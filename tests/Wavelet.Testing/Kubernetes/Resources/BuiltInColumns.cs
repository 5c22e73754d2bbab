using Wavelet.Testing.Kubernetes.Tables;

namespace Wavelet.Testing.Kubernetes.Resources;

/// <summary>The Table columns kube-apiserver prints for the built-in kinds (after Name), and how each cell is computed.</summary>
internal static class BuiltInColumns
{
    private delegate JsonNode? Cell(JsonObject obj, DateTimeOffset now);

    private static readonly Dictionary<string, (PrinterColumn Column, Cell Cell)[]> Kinds = new(StringComparer.Ordinal)
    {
        ["Namespace"] = [Col("Status", "string", "The phase of the namespace.", (o, _) => At(o, "status", "phase") ?? "Active"), Age],
        ["ConfigMap"] = [Col("Data", "integer", "Number of keys.", (o, _) => Count(o["data"]) + Count(o["binaryData"])), Age],
        ["Secret"] = [Col("Type", "string", "The type of the secret.", (o, _) => At(o, "type") ?? "Opaque"), Col("Data", "integer", "Number of keys.", (o, _) => Count(o["data"])), Age],
        ["ServiceAccount"] = [Col("Secrets", "integer", "Number of secrets.", (o, _) => (o["secrets"] as JsonArray)?.Count ?? 0), Age],
        ["Service"] =
        [
            Col("Type", "string", "The type of the service.", (o, _) => At(o, "spec", "type") ?? "ClusterIP"),
            Col("Cluster-IP", "string", "The cluster IP.", (o, _) => At(o, "spec", "clusterIP") ?? "<none>"),
            Col("External-IP", "string", "External addresses.", (o, _) => "<none>"),
            Col("Port(s)", "string", "The ports.", (o, _) => Ports(o)),
            Age,
        ],
        ["Pod"] =
        [
            Col("Ready", "string", "Ready containers.", (o, _) => $"{(o["status"]?["containerStatuses"] as JsonArray)?.Count(c => c?["ready"]?.GetValue<bool>() == true) ?? 0}/{(o["spec"]?["containers"] as JsonArray)?.Count ?? 0}"),
            Col("Status", "string", "The phase of the pod.", (o, _) => At(o, "status", "phase") ?? "Pending"),
            Col("Restarts", "string", "Container restarts.", (o, _) => "0"),
            Age,
        ],
        ["Deployment"] =
        [
            Col("Ready", "string", "Ready replicas out of desired.", (o, _) => $"{Int(o, "status", "readyReplicas")}/{Int(o, "spec", "replicas", 1)}"),
            Col("Up-to-date", "integer", "Replicas on the newest template.", (o, _) => Int(o, "status", "updatedReplicas")),
            Col("Available", "integer", "Available replicas.", (o, _) => Int(o, "status", "availableReplicas")),
            Age,
        ],
        ["ReplicaSet"] =
        [
            Col("Desired", "integer", "Desired replicas.", (o, _) => Int(o, "spec", "replicas", 1)),
            Col("Current", "integer", "Current replicas.", (o, _) => Int(o, "status", "replicas")),
            Col("Ready", "integer", "Ready replicas.", (o, _) => Int(o, "status", "readyReplicas")),
            Age,
        ],
        ["StatefulSet"] = [Col("Ready", "string", "Ready replicas out of desired.", (o, _) => $"{Int(o, "status", "readyReplicas")}/{Int(o, "spec", "replicas", 1)}"), Age],
        ["PodDisruptionBudget"] =
        [
            Col("Min Available", "string", "Pods that must stay available.", (o, _) => At(o, "spec", "minAvailable") ?? "N/A"),
            Col("Max Unavailable", "string", "Pods that may be unavailable.", (o, _) => At(o, "spec", "maxUnavailable") ?? "N/A"),
            Col("Allowed Disruptions", "integer", "Disruptions allowed now.", (o, _) => Int(o, "status", "disruptionsAllowed")),
            Age,
        ],
        ["HorizontalPodAutoscaler"] =
        [
            Col("Reference", "string", "The scaled workload.", (o, _) => $"{At(o, "spec", "scaleTargetRef", "kind")}/{At(o, "spec", "scaleTargetRef", "name")}"),
            Col("MinPods", "string", "Lower bound.", (o, _) => At(o, "spec", "minReplicas") ?? "<unset>"),
            Col("MaxPods", "integer", "Upper bound.", (o, _) => Int(o, "spec", "maxReplicas")),
            Col("Replicas", "integer", "Current replicas.", (o, _) => Int(o, "status", "currentReplicas")),
            Age,
        ],
        ["Lease"] = [Col("Holder", "string", "The holder of the lease.", (o, _) => At(o, "spec", "holderIdentity") ?? ""), Age],
        ["CustomResourceDefinition"] = [Col("Created At", "date", "When the definition was created.", (o, _) => At(o, "metadata", "creationTimestamp"))],
        ["ClusterRole"] = [Col("Created At", "date", "When the role was created.", (o, _) => At(o, "metadata", "creationTimestamp"))],
        ["Role"] = [Col("Created At", "date", "When the role was created.", (o, _) => At(o, "metadata", "creationTimestamp"))],
        ["ClusterRoleBinding"] = [Col("Role", "string", "The bound role.", (o, _) => $"{At(o, "roleRef", "kind")}/{At(o, "roleRef", "name")}"), Age],
        ["RoleBinding"] = [Col("Role", "string", "The bound role.", (o, _) => $"{At(o, "roleRef", "kind")}/{At(o, "roleRef", "name")}"), Age],
        ["Event"] =
        [
            Col("Type", "string", "Normal or Warning.", (o, _) => At(o, "type") ?? ""),
            Col("Reason", "string", "Why the event was recorded.", (o, _) => At(o, "reason") ?? ""),
            Col("Object", "string", "The object the event is about.", (o, _) => $"{(At(o, "involvedObject", "kind") ?? At(o, "regarding", "kind"))?.ToLowerInvariant()}/{At(o, "involvedObject", "name") ?? At(o, "regarding", "name")}"),
            Col("Message", "string", "What happened.", (o, _) => At(o, "message") ?? At(o, "note") ?? ""),
        ],
    };

    private static (PrinterColumn, Cell) Age => Col("Age", "string", "Time since the object was created.", (o, now) => HumanDuration.Since(At(o, "metadata", "creationTimestamp"), now));

    public static IReadOnlyList<PrinterColumn> For(string kind) =>
        Kinds.TryGetValue(kind, out var columns) ? [.. columns.Select(c => c.Column)] : [Age.Item1];

    /// <summary>The cells after Name for a built-in object.</summary>
    public static IEnumerable<JsonNode?> Cells(string kind, JsonObject obj, DateTimeOffset now)
    {
        var columns = Kinds.TryGetValue(kind, out var known) ? known : [Age];
        return columns.Select(c => c.Cell(obj, now));
    }

    private static (PrinterColumn, Cell) Col(string name, string type, string description, Func<JsonObject, DateTimeOffset, object?> cell) =>
        (new PrinterColumn(name, type, "", description), (o, now) => cell(o, now) switch
        {
            null => null,
            JsonNode node => node.DeepClone(),
            string s => JsonValue.Create(s),
            int i => JsonValue.Create(i),
            long l => JsonValue.Create(l),
            var other => JsonValue.Create(other.ToString()),
        });

    private static string? At(JsonObject obj, params string[] path)
    {
        JsonNode? node = obj;
        foreach (var step in path)
        {
            node = node?[step];
        }

        return node switch
        {
            null => null,
            JsonValue value when value.TryGetValue<string>(out var text) => text,
            _ => node.ToJsonString(),
        };
    }

    private static long Int(JsonObject obj, string a, string b, long fallback = 0) =>
        obj[a]?[b] is JsonValue value && long.TryParse(value.ToJsonString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : fallback;

    private static int Count(JsonNode? node) => (node as JsonObject)?.Count ?? 0;

    private static string Ports(JsonObject service)
    {
        var ports = (service["spec"]?["ports"] as JsonArray)?.OfType<JsonObject>()
            .Select(p => $"{p["port"]}/{p["protocol"]?.GetValue<string>() ?? "TCP"}").ToList() ?? [];
        return ports.Count == 0 ? "<none>" : string.Join(",", ports);
    }
}
