using Microsoft.Extensions.Options;
using Wavelet.Operator.Hosting;

if (args is ["ddl", ..])
{
    // The DDL commands moved to the wavelet CLI; say where instead of failing on an unknown argument.
    await Console.Error.WriteLineAsync("wavelet-operator: ddl plan/sync moved to the wavelet command: wavelet plan <file> / wavelet push <file> (see docs/cli.md)");
    return 2;
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
