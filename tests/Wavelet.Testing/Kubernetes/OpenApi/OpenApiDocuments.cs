using System.Security.Cryptography;

namespace Wavelet.Testing.Kubernetes.OpenApi;

/// <summary>
/// OpenAPI for every discoverable type, built from its structural schema: v3 per group version (<c>/openapi/v3</c> lists
/// them with a content hash, as kube-apiserver does) and one v2 (swagger 2.0) document. Each schema and each operation
/// carries <c>x-kubernetes-group-version-kind</c>, which is how kubectl explain and kubectl's field-validation check find a
/// kind; PATCH operations declare the <c>fieldValidation</c> parameter (so kubectl leaves validation to the server) and
/// the patch types. Strategic merge is accepted for built-ins but not advertised: the built-in schemas here are partial,
/// and kubectl computes a strategic merge patch from an advertising document's schema, so it must fall back to the
/// struct tags compiled into it, which are complete.
/// </summary>
internal sealed class OpenApiDocuments(ResourceCatalog catalog)
{
    private static readonly string[] PatchTypes = ["application/json-patch+json", "application/merge-patch+json", "application/apply-patch+yaml"];

    /// <summary><c>GET /openapi/v3</c>: every group version's relative URL with its hash.</summary>
    public JsonObject V3Index()
    {
        var paths = new JsonObject();
        foreach (var (group, version) in GroupVersions())
        {
            var key = GroupVersionPath(group, version);
            paths[key] = new JsonObject { ["serverRelativeURL"] = $"/openapi/v3/{key}?hash={Hash(V3(group, version)!)}" };
        }

        return new JsonObject { ["paths"] = paths };
    }

    /// <summary><c>GET /openapi/v3/api/v1</c> or <c>/openapi/v3/apis/{group}/{version}</c>; null when nothing is served there.</summary>
    public JsonObject? V3(string group, string version)
    {
        var types = Types(group, version);
        if (types.Count == 0)
        {
            return null;
        }

        var paths = new JsonObject();
        var schemas = new JsonObject();
        foreach (var type in types)
        {
            var definition = DefinitionName(type, version);
            schemas[definition] = Schema(type, version);
            foreach (var (path, item) in Paths(type, version, "#/components/schemas/" + definition, v3: true))
            {
                paths[path] = item;
            }
        }

        return new JsonObject
        {
            ["openapi"] = "3.0.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = "v1.35.0" },
            ["paths"] = paths,
            ["components"] = new JsonObject { ["schemas"] = schemas },
        };
    }

    /// <summary><c>GET /openapi/v2</c> (JSON): every type in one swagger 2.0 document.</summary>
    public JsonObject V2()
    {
        var paths = new JsonObject();
        var definitions = new JsonObject();
        foreach (var (group, version) in GroupVersions())
        {
            foreach (var type in Types(group, version))
            {
                var definition = DefinitionName(type, version);
                definitions[definition] = Schema(type, version);
                foreach (var (path, item) in Paths(type, version, "#/definitions/" + definition, v3: false))
                {
                    paths[path] = item;
                }
            }
        }

        return new JsonObject
        {
            ["swagger"] = "2.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = "v1.35.0" },
            ["paths"] = paths,
            ["definitions"] = definitions,
        };
    }

    public static string Hash(JsonObject document) =>
        Convert.ToHexString(SHA512.HashData(Encoding.UTF8.GetBytes(document.ToJsonString())))[..32];

    private List<(string Group, string Version)> GroupVersions() =>
        [.. catalog.Discoverable.SelectMany(t => t.ServedVersions.Select(v => (t.Group, v))).Distinct().OrderBy(g => g.Group, StringComparer.Ordinal).ThenBy(g => g.v, StringComparer.Ordinal)];

    private List<ResourceType> Types(string group, string version) =>
        [.. catalog.Discoverable.Where(t => t.Group == group && t.ServedVersions.Contains(version, StringComparer.Ordinal)).OrderBy(t => t.Resource, StringComparer.Ordinal)];

    private static string GroupVersionPath(string group, string version) => group.Length == 0 ? $"api/{version}" : $"apis/{group}/{version}";

    // kube-apiserver's naming: io.k8s.api.<group>.<version>.<Kind> for built-ins, the reversed group for custom resources.
    private static string DefinitionName(ResourceType type, string version)
    {
        if (type.IsCustom)
        {
            return string.Join('.', type.Group.Split('.').Reverse()) + $".{version}.{type.Kind}";
        }

        var group = type.Group switch
        {
            "" => "core",
            "apiextensions.k8s.io" => "apiextensions",
            var g => g.Split('.')[0],
        };
        var prefix = type.Group == "apiextensions.k8s.io" ? "io.k8s.apiextensions-apiserver.pkg.apis" : "io.k8s.api";
        return $"{prefix}.{group}.{version}.{type.Kind}";
    }

    private static JsonObject Schema(ResourceType type, string version)
    {
        var schema = type.Schema?.DeepClone() as JsonObject ?? new JsonObject { ["type"] = "object", ["x-kubernetes-preserve-unknown-fields"] = true };
        var properties = schema["properties"] as JsonObject ?? new JsonObject();
        schema["properties"] = properties;
        properties["apiVersion"] ??= new JsonObject { ["type"] = "string", ["description"] = "The versioned schema of this representation of an object." };
        properties["kind"] ??= new JsonObject { ["type"] = "string", ["description"] = "The REST resource this object represents." };
        properties["metadata"] ??= new JsonObject { ["type"] = "object", ["description"] = "Standard object metadata." };
        schema["x-kubernetes-group-version-kind"] = new JsonArray(Gvk(type, version));
        return schema;
    }

    private static JsonObject Gvk(ResourceType type, string version) => new() { ["group"] = type.Group, ["version"] = version, ["kind"] = type.Kind };

    private static IEnumerable<(string Path, JsonObject Item)> Paths(ResourceType type, string version, string reference, bool v3)
    {
        var prefix = type.Group.Length == 0 ? $"/api/{version}" : $"/apis/{type.Group}/{version}";
        var collection = type.Namespaced ? $"{prefix}/namespaces/{{namespace}}/{type.Resource}" : $"{prefix}/{type.Resource}";
        var patchTypes = PatchTypes;
        var pathParameters = type.Namespaced ? new[] { "namespace" } : [];

        yield return (collection, new JsonObject
        {
            ["get"] = Operation(type, version, "list", reference, v3, [], []),
            ["post"] = Operation(type, version, "post", reference, v3, ["application/json", "application/yaml"], ["dryRun", "fieldManager", "fieldValidation"]),
            ["parameters"] = PathParameters(pathParameters),
        });
        yield return ($"{collection}/{{name}}", new JsonObject
        {
            ["get"] = Operation(type, version, "get", reference, v3, [], []),
            ["put"] = Operation(type, version, "put", reference, v3, ["application/json", "application/yaml"], ["dryRun", "fieldManager", "fieldValidation"]),
            ["patch"] = Operation(type, version, "patch", reference, v3, patchTypes, ["dryRun", "fieldManager", "fieldValidation", "force"]),
            ["delete"] = Operation(type, version, "delete", reference, v3, [], ["dryRun", "gracePeriodSeconds", "propagationPolicy"]),
            ["parameters"] = PathParameters([.. pathParameters, "name"]),
        });
        if (type.HasStatusSubresource)
        {
            yield return ($"{collection}/{{name}}/status", new JsonObject
            {
                ["get"] = Operation(type, version, "get", reference, v3, [], []),
                ["put"] = Operation(type, version, "put", reference, v3, ["application/json", "application/yaml"], ["dryRun", "fieldManager", "fieldValidation"]),
                ["patch"] = Operation(type, version, "patch", reference, v3, patchTypes, ["dryRun", "fieldManager", "fieldValidation", "force"]),
                ["parameters"] = PathParameters([.. pathParameters, "name"]),
            });
        }
    }

    private static JsonObject Operation(ResourceType type, string version, string action, string reference, bool v3, string[] bodyTypes, string[] queryParameters)
    {
        var parameters = new JsonArray();
        foreach (var name in queryParameters)
        {
            parameters.Add(v3
                ? new JsonObject { ["name"] = name, ["in"] = "query", ["schema"] = new JsonObject { ["type"] = name == "force" ? "boolean" : "string" }, ["uniqueItems"] = true }
                : new JsonObject { ["name"] = name, ["in"] = "query", ["type"] = name == "force" ? "boolean" : "string", ["uniqueItems"] = true });
        }

        var response = v3
            ? new JsonObject { ["description"] = "OK", ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = new JsonObject { ["$ref"] = reference } } } }
            : new JsonObject { ["description"] = "OK", ["schema"] = new JsonObject { ["$ref"] = reference } };
        var operation = new JsonObject
        {
            ["operationId"] = $"{action}{type.Kind}",
            ["parameters"] = parameters,
            ["responses"] = new JsonObject { ["200"] = response },
            ["x-kubernetes-action"] = action,
            ["x-kubernetes-group-version-kind"] = Gvk(type, version),
        };
        if (bodyTypes.Length > 0)
        {
            if (v3)
            {
                var content = new JsonObject();
                foreach (var bodyType in bodyTypes)
                {
                    content[bodyType] = new JsonObject { ["schema"] = action == "patch" ? new JsonObject { ["type"] = "object" } : new JsonObject { ["$ref"] = reference } };
                }

                operation["requestBody"] = new JsonObject { ["content"] = content, ["required"] = true };
            }
            else
            {
                operation["consumes"] = new JsonArray([.. bodyTypes.Select(t => JsonValue.Create(t))]);
                parameters.Add(new JsonObject { ["name"] = "body", ["in"] = "body", ["required"] = true, ["schema"] = new JsonObject { ["$ref"] = reference } });
            }
        }

        return operation;
    }

    private static JsonArray PathParameters(string[] names) =>
        new([.. names.Select(n => (JsonNode)new JsonObject { ["name"] = n, ["in"] = "path", ["required"] = true, ["schema"] = new JsonObject { ["type"] = "string" } })]);
}
