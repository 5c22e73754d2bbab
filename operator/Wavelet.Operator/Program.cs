using Wavelet.Api;

var builder = WebApplication.CreateBuilder(args);
var app = builder.Build();
app.MapGet("/healthz", () => Results.Ok(new { status = "ok" }));
app.Logger.LogInformation("wavelet-operator starting for {Group}", WaveletGroup.ApiVersion);
await app.RunAsync();
