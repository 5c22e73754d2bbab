using System.Collections;
using System.Reflection;
using System.Text.Json;

namespace Wavelet.Api.Tests;

/// <summary>docs/api.md must name every spec and status field of the C# types (regenerate with scripts/gen-api-doc.py).</summary>
public sealed class ApiDocTests
{
    [Fact]
    public void Api_reference_covers_every_spec_and_status_field()
    {
        var doc = RepositoryRoot.ReadAllText("docs/api.md");
        var paths = new List<string>();
        Walk(typeof(WaveletProjectSpec), "spec", paths, 0);
        Walk(typeof(WaveletProjectStatus), "status", paths, 0);

        Assert.True(paths.Count > 60, $"walked only {paths.Count} fields");
        var missing = paths.Where(p => !doc.Contains($"`{p}`", StringComparison.Ordinal)).ToList();
        Assert.True(missing.Count == 0, "docs/api.md lacks (run: python3 scripts/gen-api-doc.py > docs/api.md):\n" + string.Join('\n', missing));
    }

    private static void Walk(Type type, string prefix, List<string> paths, int depth)
    {
        if (depth > 8)
        {
            return;
        }

        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var path = $"{prefix}.{JsonNamingPolicy.CamelCase.ConvertName(property.Name)}";
            paths.Add(path);
            var element = ElementType(property.PropertyType, out var isList);
            if (IsApiObject(element))
            {
                Walk(element, isList ? path + "[]" : path, paths, depth + 1);
            }
        }
    }

    private static Type ElementType(Type type, out bool isList)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        isList = type != typeof(string) && type.IsGenericType && typeof(IEnumerable).IsAssignableFrom(type)
                 && type.GetGenericArguments().Length == 1;
        return isList ? type.GetGenericArguments()[0] : type;
    }

    private static bool IsApiObject(Type type) =>
        type.IsClass && type != typeof(string) && type.Namespace?.StartsWith("Wavelet.Api", StringComparison.Ordinal) == true;
}
