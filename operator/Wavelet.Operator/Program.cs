using Wavelet.Api;
using Wavelet.Operator.Ddl.Cli;

if (args is ["ddl", ..])
{
    return await DdlCommandLine.RunAsync(args[1..], Console.Out, Console.Error, CancellationToken.None);
}

var builder = WebApplication.CreateBuilder(args);
var app = builder.Build();
app.MapGet("/healthz", () => Results.Ok(new { status = "ok" }));
app.Logger.LogInformation("wavelet-operator starting for {Group}", WaveletGroup.ApiVersion);
await app.RunAsync();
return 0;
