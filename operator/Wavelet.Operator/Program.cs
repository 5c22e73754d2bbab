using Microsoft.Extensions.Options;
using Wavelet.Operator.Ddl.Cli;
using Wavelet.Operator.Hosting;

if (args is ["ddl", ..])
{
    return await DdlCommandLine.RunAsync(args[1..], Console.Out, Console.Error, CancellationToken.None);
}

try
{
    var app = OperatorHostBuilder.Build(args);
    await app.RunAsync();
    return 0;
}
catch (OptionsValidationException e)
{
    await Console.Error.WriteLineAsync($"wavelet-operator: invalid settings: {string.Join("; ", e.Failures)}");
    return 2;
}
