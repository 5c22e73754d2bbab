namespace Wavelet.Testing.Kubernetes.Discovery;

/// <summary>
/// The discovery documents: <c>/version</c>, <c>/api</c>, <c>/apis</c>, <c>/api/v1</c>, <c>/apis/{group}/{version}</c>, and the
/// aggregated form (apidiscovery.k8s.io/v2 APIGroupDiscoveryList) kubectl and client-go ask for first.
/// </summary>
internal sealed class DiscoveryDocuments(ResourceCatalog catalog)
{
    public const string AggregatedContentType = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";

    /// <summary>The version this fake imitates (the kubectl it is tested with).</summary>
    public static JsonObject Version() => new()
    {
        ["major"] = "1",
        ["minor"] = "35",
        ["emulationMajor"] = "1",
        ["emulationMinor"] = "35",
        ["gitVersion"] = "v1.35.0-wavelet-fake",
        ["gitCommit"] = "0000000000000000000000000000000000000000",
        ["gitTreeState"] = "clean",
        ["buildDate"] = "2026-01-01T00:00:00Z",
        ["goVersion"] = "go1.25",
        ["compiler"] = "gc",
        ["platform"] = "linux/amd64",
    };

    public JsonObject CoreVersions(string serverAddress) => new()
    {
        ["kind"] = "APIVersions",
        ["versions"] = new JsonArray("v1"),
        ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject { ["clientCIDR"] = "0.0.0.0/0", ["serverAddress"] = serverAddress }),
    };

    public JsonObject Groups()
    {
        var groups = new JsonArray();
        foreach (var (group, versions) in GroupVersions().Where(g => g.Group.Length > 0))
        {
            groups.Add(new JsonObject
            {
                ["name"] = group,
                ["versions"] = new JsonArray([.. versions.Select(v => (JsonNode)GroupVersion(group, v))]),
                ["preferredVersion"] = GroupVersion(group, versions[0]),
            });
        }

        return new JsonObject { ["kind"] = "APIGroupList", ["apiVersion"] = "v1", ["groups"] = groups };
    }

    /// <summary>The APIGroup of one group (<c>GET /apis/{group}</c>), or null when the group is unknown.</summary>
    public JsonObject? Group(string group)
    {
        var versions = GroupVersions().FirstOrDefault(g => g.Group == group).Versions;
        if (versions is null)
        {
            return null;
        }

        return new JsonObject
        {
            ["kind"] = "APIGroup",
            ["apiVersion"] = "v1",
            ["name"] = group,
            ["versions"] = new JsonArray([.. versions.Select(v => (JsonNode)GroupVersion(group, v))]),
            ["preferredVersion"] = GroupVersion(group, versions[0]),
        };
    }

    /// <summary>The APIResourceList of one group version, or null when nothing is served there.</summary>
    public JsonObject? Resources(string group, string version)
    {
        var types = Served(group, version);
        if (types.Count == 0)
        {
            return null;
        }

        var resources = new JsonArray();
        foreach (var type in types)
        {
            var resource = new JsonObject
            {
                ["name"] = type.Resource,
                ["singularName"] = type.Singular,
                ["namespaced"] = type.Namespaced,
                ["kind"] = type.Kind,
                ["verbs"] = Strings(type.Verbs),
            };
            if (type.ShortNames.Count > 0)
            {
                resource["shortNames"] = Strings(type.ShortNames);
            }

            if (type.Categories.Count > 0)
            {
                resource["categories"] = Strings(type.Categories);
            }

            resources.Add(resource);
            if (type.HasStatusSubresource)
            {
                resources.Add(new JsonObject
                {
                    ["name"] = type.Resource + "/status",
                    ["singularName"] = "",
                    ["namespaced"] = type.Namespaced,
                    ["kind"] = type.Kind,
                    ["verbs"] = new JsonArray("get", "patch", "update"),
                });
            }

            if (type.HasScaleSubresource)
            {
                resources.Add(new JsonObject
                {
                    ["name"] = type.Resource + "/scale",
                    ["singularName"] = "",
                    ["namespaced"] = type.Namespaced,
                    ["group"] = "autoscaling",
                    ["version"] = "v1",
                    ["kind"] = "Scale",
                    ["verbs"] = new JsonArray("get", "patch", "update"),
                });
            }
        }

        return new JsonObject
        {
            ["kind"] = "APIResourceList",
            ["apiVersion"] = "v1",
            ["groupVersion"] = group.Length == 0 ? version : $"{group}/{version}",
            ["resources"] = resources,
        };
    }

    /// <summary>apidiscovery.k8s.io/v2 APIGroupDiscoveryList of the core group (<paramref name="core"/>) or of every named group.</summary>
    public JsonObject Aggregated(bool core)
    {
        var items = new JsonArray();
        foreach (var (group, versions) in GroupVersions().Where(g => (g.Group.Length == 0) == core))
        {
            var versionItems = new JsonArray();
            foreach (var version in versions)
            {
                var resources = new JsonArray();
                foreach (var type in Served(group, version))
                {
                    var resource = new JsonObject
                    {
                        ["resource"] = type.Resource,
                        ["responseKind"] = Kind(group, version, type.Kind),
                        ["scope"] = type.Namespaced ? "Namespaced" : "Cluster",
                        ["singularResource"] = type.Singular,
                        ["verbs"] = Strings(type.Verbs),
                    };
                    if (type.ShortNames.Count > 0)
                    {
                        resource["shortNames"] = Strings(type.ShortNames);
                    }

                    if (type.Categories.Count > 0)
                    {
                        resource["categories"] = Strings(type.Categories);
                    }

                    var subresources = new JsonArray();
                    if (type.HasStatusSubresource)
                    {
                        subresources.Add(new JsonObject
                        {
                            ["subresource"] = "status",
                            ["responseKind"] = Kind(group, version, type.Kind),
                            ["verbs"] = new JsonArray("get", "patch", "update"),
                        });
                    }

                    if (type.HasScaleSubresource)
                    {
                        subresources.Add(new JsonObject
                        {
                            ["subresource"] = "scale",
                            ["responseKind"] = Kind("autoscaling", "v1", "Scale"),
                            ["verbs"] = new JsonArray("get", "patch", "update"),
                        });
                    }

                    if (subresources.Count > 0)
                    {
                        resource["subresources"] = subresources;
                    }

                    resources.Add(resource);
                }

                versionItems.Add(new JsonObject { ["version"] = version, ["resources"] = resources, ["freshness"] = "Current" });
            }

            items.Add(new JsonObject
            {
                ["metadata"] = new JsonObject { ["name"] = group, ["creationTimestamp"] = null },
                ["versions"] = versionItems,
            });
        }

        return new JsonObject
        {
            ["kind"] = "APIGroupDiscoveryList",
            ["apiVersion"] = "apidiscovery.k8s.io/v2",
            ["metadata"] = new JsonObject(),
            ["items"] = items,
        };
    }

    // Built-in groups in kube-apiserver's order, then custom groups by name; versions newest (storage) first.
    private List<(string Group, List<string> Versions)> GroupVersions()
    {
        var order = new[] { "", "apps", "events.k8s.io", "autoscaling", "policy", "rbac.authorization.k8s.io", "coordination.k8s.io", "apiextensions.k8s.io" };
        return [.. catalog.Discoverable
            .GroupBy(t => t.Group)
            .OrderBy(g => Array.IndexOf(order, g.Key) is var i && i >= 0 ? i : order.Length)
            .ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (g.Key, g.SelectMany(t => t.ServedVersions.Prepend(t.Version)).Distinct(StringComparer.Ordinal).ToList()))];
    }

    private List<ResourceType> Served(string group, string version) =>
        [.. catalog.Discoverable.Where(t => t.Group == group && t.ServedVersions.Contains(version, StringComparer.Ordinal)).OrderBy(t => t.Resource, StringComparer.Ordinal)];

    private static JsonObject GroupVersion(string group, string version) => new() { ["groupVersion"] = $"{group}/{version}", ["version"] = version };

    private static JsonObject Kind(string group, string version, string kind) => new() { ["group"] = group, ["version"] = version, ["kind"] = kind };

    private static JsonArray Strings(IEnumerable<string> values) => new([.. values.Select(v => JsonValue.Create(v))]);
}
