using System.Net.Http.Headers;
using System.Text;
using Wavelet.Testing.Kubernetes;

namespace Wavelet.Testing.Tests.Kubernetes;

/// <summary>Raw HTTP against a fake API server, as any client would talk to kube-apiserver.</summary>
public sealed class FakeApi : IAsyncLifetime
{
    public const string WidgetsCrd = """
        {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition","metadata":{"name":"widgets.example.com"},
         "spec":{"group":"example.com","scope":"Namespaced",
          "names":{"plural":"widgets","singular":"widget","kind":"Widget","listKind":"WidgetList","shortNames":["wd"]},
          "versions":[{"name":"v1","served":true,"storage":true,"subresources":{"status":{}},
            "additionalPrinterColumns":[{"name":"Size","type":"integer","jsonPath":".spec.size"},{"name":"Phase","type":"string","jsonPath":".status.conditions[?(@.type==\"Ready\")].reason"}],
            "schema":{"openAPIV3Schema":{"type":"object","properties":{
              "spec":{"type":"object","required":["size"],
                "x-kubernetes-validations":[{"rule":"self.size <= self.max","message":"size must not exceed max","fieldPath":".size"},{"rule":"self.color == oldSelf.color","message":"color is immutable"}],
                "properties":{
                  "size":{"type":"integer","minimum":1,"description":"How big the widget is."},
                  "max":{"type":"integer","default":10},
                  "color":{"type":"string","enum":["red","blue"],"default":"red"},
                  "name":{"type":"string","pattern":"^[a-z]+$"},
                  "parts":{"type":"array","x-kubernetes-list-type":"map","x-kubernetes-list-map-keys":["name"],
                    "items":{"type":"object","required":["name"],"properties":{"name":{"type":"string"},"count":{"type":"integer"}}}},
                  "extra":{"type":"object","x-kubernetes-preserve-unknown-fields":true}}},
              "status":{"type":"object","properties":{"conditions":{"type":"array","items":{"type":"object","x-kubernetes-preserve-unknown-fields":true}}}}}}}}]}}
        """;

    private HttpClient _http = null!;

    public FakeKubernetesApiServer Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await FakeKubernetesApiServer.StartAsync();
        _http = new HttpClient { BaseAddress = new Uri(Server.Url) };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await Server.DisposeAsync();
    }

    public async Task InstallWidgetsAsync()
    {
        var created = await SendAsync(HttpMethod.Post, "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", WidgetsCrd);
        Assert.Equal(201, created.Status);
    }

    public Task<Answer> GetAsync(string path, string? accept = null) => SendAsync(HttpMethod.Get, path, null, accept: accept);

    public Task<Answer> PostAsync(string path, string body, string contentType = "application/json") => SendAsync(HttpMethod.Post, path, body, contentType);

    public Task<Answer> PutAsync(string path, string body) => SendAsync(HttpMethod.Put, path, body);

    public Task<Answer> PatchAsync(string path, string body, string contentType) => SendAsync(HttpMethod.Patch, path, body, contentType);

    public Task<Answer> DeleteAsync(string path, string? body = null) => SendAsync(HttpMethod.Delete, path, body);

    public async Task<Answer> SendAsync(HttpMethod method, string path, string? body, string contentType = "application/json", string? accept = null, byte[]? binary = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (binary is not null)
        {
            request.Content = new ByteArrayContent(binary);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }
        else if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        request.Headers.UserAgent.ParseAdd("fake-api-tests/1.0");
        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var warnings = response.Headers.TryGetValues("Warning", out var values) ? values.ToList() : [];
        return new Answer((int)response.StatusCode, text.Length > 0 && text[0] is '{' or '[' ? JsonNode.Parse(text) : null, text, response.Content.Headers.ContentType?.ToString() ?? "", warnings);
    }

    public sealed record Answer(int Status, JsonNode? Json, string Text, string ContentType, IReadOnlyList<string> Warnings)
    {
        public JsonNode Body => Json ?? throw new InvalidOperationException($"no JSON body ({Status}): {Text}");

        public string? At(string dotted)
        {
            JsonNode? node = Json;
            foreach (var part in dotted.Split('.'))
            {
                node = int.TryParse(part, System.Globalization.CultureInfo.InvariantCulture, out var i)
                    ? node is JsonArray array && i < array.Count ? array[i] : null
                    : (node as JsonObject)?[part];
            }

            return node switch
            {
                null => null,
                JsonValue v when v.TryGetValue<string>(out var s) => s,
                _ => node.ToJsonString(),
            };
        }
    }
}
