var builder = WebApplication.CreateBuilder(args);
var app = builder.Build();
app.MapGet("/v1/health", () => Results.Ok(new { status = "ok" }));
await app.RunAsync();

/// <summary>Entry point, visible to WebApplicationFactory-style tests.</summary>
public partial class Program;
